import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, type Compilation } from "../src/compile.js";
import { CODES } from "../src/diagnostics/codes.js";
import type { Span } from "../src/diagnostics/span.js";
import { languageExamples } from "./support/language-reference.js";

/**
 * The whole front end (parse, resolve, check) on broken input: it never
 * throws, always finishes, and every diagnostic has a catalogued code and
 * spans that lie inside the text they point into.
 */
const examples = languageExamples();
/** 1,000 cases a property (4,000 mutants and random texts) in `npm test`; AESPEC_FUZZ=long runs 25,000 a property (1e5 in all). */
const RUNS = Number(process.env["COMPILE_FUZZ_RUNS"] ?? (process.env["AESPEC_FUZZ"] === "long" ? 25_000 : 1000));

function wellFormed(c: Compilation): void {
  const inside = (s: Span) => {
    const src = c.sources.get(s.file);
    // spans into data files (not sources) only need to be ordered
    expect(0 <= s.start && s.start <= s.end && (src === undefined || s.end <= src.text.length)).toBe(true);
  };
  for (const d of c.diagnostics) {
    expect(Object.keys(CODES)).toContain(d.code);
    expect(d.message.length).toBeGreaterThan(0);
    inside(d.span);
    d.related.forEach((r) => inside(r.span));
  }
  expect(c.ok).toBe(!c.diagnostics.some((d) => d.severity === "error"));
}

const run = (text: string) => wellFormed(compile(text, { file: "fuzz.aespec" }));

/** Tokens and the whitespace between them, so edits keep the rest of the text as it was. */
const pieces = (text: string) => text.split(/(\s+|(?=[{}()[\],:=+\-*/])|(?<=[{}()[\],:=+\-*/]))/).filter((p) => p !== undefined && p !== "");

const example = fc.constantFrom(...examples);

describe("compile() on mutated and random input", () => {
  it("token deletions", () => {
    fc.assert(
      fc.property(example, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (text, cuts) => {
        const ps = pieces(text);
        for (const c of cuts) ps.splice(c % ps.length, 1);
        run(ps.join(""));
      }),
      { numRuns: RUNS },
    );
  });

  it("swaps of two tokens", () => {
    fc.assert(
      fc.property(example, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (text, swaps) => {
        const ps = pieces(text);
        for (const [a, b] of swaps) {
          const i = a % ps.length;
          const j = b % ps.length;
          [ps[i], ps[j]] = [ps[j]!, ps[i]!];
        }
        run(ps.join(""));
      }),
      { numRuns: RUNS },
    );
  });

  it("truncations", () => {
    fc.assert(
      fc.property(example, fc.nat(), (text, at) => run(text.slice(0, at % (text.length + 1)))),
      { numRuns: RUNS },
    );
  });

  it("random bytes, decoded as UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => run(Buffer.from(bytes).toString("utf8"))),
      { numRuns: RUNS },
    );
  });

  it("deep nesting of every bracket inside a real model", () => {
    fc.assert(
      fc.property(fc.constantFrom("(", "[", "{"), fc.integer({ min: 1, max: 5000 }), (open, depth) => {
        const close = { "(": ")", "[": "]", "{": "}" }[open];
        run(`model m { input: [${open.repeat(depth)}1${close.repeat(depth)}] bottleneck: deterministic(2) decoder { dense(1) } }`);
      }),
      { numRuns: 60 },
    );
  });
});
