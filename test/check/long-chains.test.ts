import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";

/**
 * Long chains of lets and of extends: no recursion limit and no quadratic
 * walk (1,500 lets overflowed the call stack; 10,000 extends took 69 s).
 */
const MODEL = "input: [4] bottleneck: deterministic(2) decoder { dense(4) }";

describe("long chains", () => {
  it("20,000 lets, each defined by the one after it: evaluated, no stack overflow", () => {
    let text = "";
    for (let i = 0; i < 19999; i++) text += `let a${i} = a${i + 1} + 1\n`;
    text += "let a19999 = 1\n";
    const c = compile(text + `model m { input: [4] bottleneck: deterministic(2) decoder { dense(a0 - 19996) } }\n`);
    expect(c.diagnostics).toEqual([]);
    expect(c.models[0]!.decoder[0]).toMatchObject({ kind: "dense", units: 4 });
  });

  it("a cycle at the end of a long let chain is reported once, at its first let, naming its path", () => {
    let text = "let a0 = a4999\n";
    for (let i = 1; i < 5000; i++) text += `let a${i} = a${i - 1} + 1\n`;
    const c = compile(text);
    expect(c.diagnostics.map((d) => d.code)).toEqual(["AE2004"]);
    expect(c.diagnostics[0]!.message).toMatch(/^let 'a0' is defined in terms of itself \(a0 -> a4999 -> a4998 -> .* -> a0\)$/);
  });

  it("10,000 models, each extending the one before: all checked, none recursing", () => {
    let text = `model m0 { ${MODEL} }\n`;
    for (let i = 1; i < 10000; i++) text += `model m${i} extends m${i - 1} { }\n`;
    const c = compile(text);
    expect(c.diagnostics).toEqual([]);
    expect(c.models).toHaveLength(10000);
    expect(c.models[9999]!.name).toBe("m9999");
  });

  it("a long chain ending in a cycle or an unknown base: one error each, the models above them unusable and silent", () => {
    let text = "model m0 extends m2999 { }\n";
    for (let i = 1; i < 3000; i++) text += `model m${i} extends m${i - 1} { }\n`;
    text += "model n0 extends nowhere { }\n";
    for (let i = 1; i < 3000; i++) text += `model n${i} extends n${i - 1} { }\n`;
    const c = compile(text);
    expect(c.diagnostics.map((d) => d.code).sort()).toEqual(["AE2005", "AE2006"]);
    expect(c.models).toEqual([]);
  });
});
