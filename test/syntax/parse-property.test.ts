import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CODES } from "../../src/diagnostics/codes.js";
import type { SourceFile, Span } from "../../src/diagnostics/span.js";
import { SECTION_KEYWORD, type File, type SectionKind } from "../../src/syntax/ast.js";
import { languageExamples, parseText } from "./parse-helpers.js";

/** Every node of the AST (anything with a `kind`), depth first. */
function* nodes(x: unknown): Generator<{ kind: string; span?: Span } & Record<string, unknown>> {
  if (Array.isArray(x)) {
    for (const y of x) yield* nodes(y);
  } else if (x !== null && typeof x === "object") {
    const o = x as { kind?: unknown } & Record<string, unknown>;
    if (typeof o.kind === "string") yield o as { kind: string } & Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "keyword") yield* nodes(v);
  }
}

function inside(source: SourceFile, s: Span): boolean {
  return s.file === source.name && 0 <= s.start && s.start <= s.end && s.end <= source.text.length;
}

/** What must hold for any input: no throw, known codes, spans in the text, a well-formed AST. */
function checkInvariants(text: string): void {
  const { file, diagnostics, source } = parseText(text);
  for (const d of diagnostics) {
    expect(Object.keys(CODES)).toContain(d.code);
    expect(d.code.startsWith("AE10")).toBe(true);
    expect(inside(source, d.span), `${d.code} ${JSON.stringify(d.span)}`).toBe(true);
  }
  checkAst(file, source);
}

function checkAst(file: File, source: SourceFile): void {
  for (const n of nodes(file)) {
    expect(n.span !== undefined && inside(source, n.span), `${n.kind} span`).toBe(true);
    const written = source.text.slice(n.span!.start, n.span!.end);
    if (n.kind === "Ident") expect(written).toBe(n["name"]);
    if (n.kind === "Number") {
      // a parenthesised number's span keeps its parentheses
      expect(written.replace(/^[(\s]+|[)\s]+$/g, "")).toBe(n["text"]);
      expect(Number.isFinite(n["value"])).toBe(true);
    }
    if (n.kind.endsWith("Section")) {
      const kw = n["keyword"] as Span;
      expect(source.text.slice(kw.start, kw.end)).toBe(SECTION_KEYWORD[n.kind as SectionKind]);
    }
  }
}

const WORDS = [
  "model",
  "extends",
  "let",
  "input",
  "in",
  "corrupt",
  "encoder",
  "bottleneck",
  "decoder",
  "prior",
  "loss",
  "train",
  "a",
  "dense",
  "relu",
  "x_1",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  ":",
  "=",
  "+",
  "-",
  "*",
  "/",
  "1",
  "0.5",
  ".5",
  "1e-3",
  "1e",
  "5.",
  '"s"',
  '"open',
  '"bad\\q"',
  "// c\n",
  "/* c */",
  "/* open",
  "@",
  ";",
  "\n",
];

const EXAMPLES = languageExamples();
/** `PARSE_FUZZ_RUNS=20000 npx vitest run test/syntax/parse-property.test.ts` for a longer hunt. */
const RUNS = Number(process.env["PARSE_FUZZ_RUNS"] ?? 300);

describe("parse never fails on any input", () => {
  it("random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkInvariants), { numRuns: RUNS });
  });

  it("random code units, including lone surrogates and control characters", () => {
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 });
    fc.assert(
      fc.property(units, (us) => checkInvariants(String.fromCharCode(...us))),
      { numRuns: RUNS },
    );
  });

  it("random sequences of aespec tokens", () => {
    const seqs = fc.array(fc.constantFrom(...WORDS), { maxLength: 120 });
    fc.assert(
      fc.property(seqs, (ws) => checkInvariants(ws.join(" "))),
      { numRuns: RUNS },
    );
  });

  it("docs/language.md examples with a few tokens deleted, replaced or inserted", () => {
    const edit = fc.record({
      example: fc.integer({ min: 0, max: EXAMPLES.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "insert", "replace"), fc.constantFrom(...WORDS)), {
        minLength: 1,
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(edit, ({ example, edits }) => {
        const words = EXAMPLES[example]!.split(/(\s+)/);
        for (const [at, op, word] of edits) {
          const i = at % words.length;
          if (op === "delete") words.splice(i, 1);
          else if (op === "insert") words.splice(i, 0, word, " ");
          else words[i] = word;
        }
        checkInvariants(words.join(""));
      }),
      { numRuns: RUNS },
    );
  });
});
