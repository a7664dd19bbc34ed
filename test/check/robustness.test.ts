import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFile, parseOverride } from "../../src/check/check.js";
import { ALL_WORDS } from "../../src/check/vocabulary/index.js";
import { sourceFile } from "../../src/diagnostics/span.js";
import { parse } from "../../src/syntax/parse.js";
import { languageExamples } from "../support/language-reference.js";

const examples = languageExamples();

const numbers = fc.constantFrom("0", "-1", "2.5", "1e300", "1e12", "3", "0.5", "1", "64", "(1 / 3)");
const words = fc.constantFrom(...ALL_WORDS, "zz", "width", "data", "sprites(size: 9)", "[2, 2, 1]", '"x.npy"');
const paths = fc.constantFrom("train.epochs", "train.data.size", "bottleneck", "bottleneck.units", "loss.kl.beta", "corrupt", "prior", "train.optimizer.lr");

/** An example with some numbers and names swapped for others: a spec a user might write by mistake. */
const mutated = fc.tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.oneof(numbers, words)), { maxLength: 4 })).map(([text, edits]) => {
  const tokens = [...text.matchAll(/\b(?:[A-Za-z_]\w*|\d+(?:\.\d+)?(?:e-?\d+)?)\b/g)];
  let out = text;
  for (const [at, replacement] of edits.sort((a, b) => (b[0] % tokens.length) - (a[0] % tokens.length))) {
    const t = tokens[at % tokens.length]!;
    out = out.slice(0, t.index) + replacement + out.slice(t.index! + t[0].length);
  }
  return out;
});

describe("robustness", () => {
  it("checking any parsed variation of the examples never throws, and refuses a model only with an error", () => {
    fc.assert(
      fc.property(mutated, fc.array(fc.tuple(paths, fc.oneof(numbers, words)), { maxLength: 2 }), (text, sets) => {
        const parsed = parse(sourceFile("x.aespec", text));
        if (parsed.diagnostics.some((d) => d.severity === "error")) return;
        const overrides = sets.flatMap(([p, v], i) => parseOverride(`${p}=${v}`, i).override ?? []);
        const r = checkFile(parsed.file, { overrides });
        const declared = new Set(parsed.file.items.flatMap((i) => (i.kind === "Model" ? [i.name.name] : [])));
        if (r.models.length < declared.size) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        for (const m of r.models) expect(JSON.parse(JSON.stringify(m))).toEqual(m);
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
