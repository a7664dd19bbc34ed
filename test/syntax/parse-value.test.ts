import { describe, expect, it } from "vitest";
import { sourceFile } from "../../src/diagnostics/span.js";
import { parseValue } from "../../src/syntax/parse.js";
import { parseText, summary } from "./parse-helpers.js";

/** As `--set key=value` uses it: a pseudo-file holding `key=value`, parsed after the `=`. */
function setValue(text: string) {
  const source = sourceFile("<--set 1>", text);
  const r = parseValue(source, text.indexOf("=") + 1);
  return { ...r, source, at: (s: { start: number; end: number }) => text.slice(s.start, s.end) };
}

describe("parseValue", () => {
  it("parses each kind of value, with spans into the whole pseudo-file", () => {
    const n = setValue("train.epochs=2");
    expect(n.diagnostics).toEqual([]);
    expect(n.value).toMatchObject({ kind: "Number", value: 2, text: "2", span: { file: "<--set 1>", start: 13, end: 14 } });

    const e = setValue("loss.kl.beta=-4 * 2");
    expect(e.value).toMatchObject({ kind: "Binary", op: "*", left: { kind: "Neg" } });
    expect(e.at(e.value!.span)).toBe("-4 * 2");

    const s = setValue('train.data="dir/x.npy"');
    expect(s.value).toMatchObject({ kind: "String", value: "dir/x.npy" });
    expect(s.at(s.value!.span)).toBe('"dir/x.npy"');

    const shape = setValue("input=[28, 28, 1]");
    expect(shape.value).toMatchObject({ kind: "Shape" });
    expect(shape.at(shape.value!.span)).toBe("[28, 28, 1]");

    const call = setValue("train.optimizer=adam(lr: 1e-3)");
    expect(call.value).toMatchObject({ kind: "Call", callee: { name: "adam" } });
    expect(call.at(call.value!.span)).toBe("adam(lr: 1e-3)");
  });

  it("parses from offset 0 by default", () => {
    const r = parseValue(sourceFile("v", " 7 "));
    expect(r.value).toMatchObject({ kind: "Number", value: 7, span: { start: 1, end: 2 } });
  });

  it("an empty value is an error at the end of the input", () => {
    const r = setValue("train.epochs=");
    expect(r.value).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: "AE1011",
      message: "unexpected end of input: expected a value (a number, name, shape or string)",
      span: { start: 13, end: 13 },
    });
  });

  it("trailing tokens are an error, and the value is then null", () => {
    const r = setValue("train.epochs=2 3");
    expect(r.value).toBeNull();
    expect(summary(r.source, r.diagnostics)).toEqual(["AE1010@3"]);
    expect(r.diagnostics[0]!.message).toBe("expected end of input, found `3`");
  });

  it("reports lexical errors of the value, and leaves the key alone", () => {
    expect(summary(setValue("a@b=2 @").source, setValue("a@b=2 @").diagnostics)).toEqual(["AE1001@@"]);
    const r = setValue("x=(1 +");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE1011"]);
  });

  it("does not change how parse() words the end of a file", () => {
    setValue("x=");
    expect(parseText("model m {").diagnostics[0]!.message).toMatch(/^unexpected end of file: /);
  });
});
