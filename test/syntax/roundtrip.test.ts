import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sourceFile } from "../../src/diagnostics/span.js";
import type { File } from "../../src/syntax/ast.js";
import { format } from "../../src/syntax/format.js";
import { parse } from "../../src/syntax/parse.js";
import { printFile } from "../../src/syntax/printer.js";
import { arbFile, withoutSpans } from "./arbitrary.js";

function parseClean(text: string): File {
  const r = parse(sourceFile("gen.aespec", text));
  if (r.diagnostics.length > 0) throw new Error(`${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}\n--- text:\n${text}`);
  return r.file;
}

function commentTexts(f: File): string[] {
  return f.comments.map((c) => (c.text.startsWith("//") ? c.text.trimEnd() : c.text)).sort();
}

describe("printFile round trip", () => {
  it("parse(printFile(m)) equals m, spans aside (1,000 generated files)", () => {
    fc.assert(
      fc.property(arbFile, (f) => {
        const text = printFile(f);
        const back = parseClean(text);
        expect(withoutSpans(back)).toEqual(withoutSpans(f));
        // The canonical text is a fixed point of the formatter.
        expect(printFile(back, sourceFile("gen.aespec", text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

const TOKEN = /"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|\S/g;

/** Offsets between tokens of a text without comments (strings are single tokens). */
function tokenBoundaries(text: string): number[] {
  const out = new Set<number>([0, text.length]);
  for (const m of text.matchAll(TOKEN)) {
    out.add(m.index);
    out.add(m.index + m[0].length);
  }
  return [...out];
}

const SEPARATORS = ["", " ", "   ", "\n", "\t\n  ", "\n\n\n", "\r\n"];

/** Whether two tokens may touch without lexing differently (`a b`, `1 e5`, `/ /`, `/ *` may not). */
function mayTouch(left: string, right: string): boolean {
  const word = /[A-Za-z0-9_.]/;
  if (word.test(left[left.length - 1]!) && word.test(right[0]!)) return false;
  return !(left.endsWith("/") && (right.startsWith("/") || right.startsWith("*")));
}

/** The same tokens with random whitespace between them, none where it is needed. */
function arbMessy(text: string): fc.Arbitrary<string> {
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]);
  return fc.array(fc.constantFrom(...SEPARATORS), { minLength: tokens.length + 1, maxLength: tokens.length + 1 }).map((seps) => {
    let out = seps[0]!;
    tokens.forEach((t, i) => {
      const next = tokens[i + 1];
      const sep = seps[i + 1]!;
      out += t + (sep === "" && next !== undefined && !mayTouch(t, next) ? " " : sep);
    });
    return out;
  });
}

const body = fc.string({ unit: fc.constantFrom("a", "b", " ", "*", "/", "{", "}", '"', "é"), maxLength: 8 });
const blockBody = body.filter((b) => !b.includes("*/") && !b.endsWith("*") && !b.startsWith("/"));

/** A comment with the whitespace that makes it safe to insert between two tokens. */
const arbCommentInsert: fc.Arbitrary<string> = fc.oneof(
  body.map((b) => ` //${b}\n`),
  body.map((b) => `\n//${b}\n`),
  body.map((b) => `\n\n  //${b}\n\n`),
  blockBody.map((b) => ` /*${b}*/ `),
  blockBody.map((b) => `\n/*${b}*/\n`),
  fc.tuple(blockBody, blockBody).map(([a, b]) => ` /*${a.trim()}\n   ${b.trim()}*/ `),
);

/** A generated file, canonical or with messy whitespace, with comments between random tokens. */
const arbCommentedText: fc.Arbitrary<string> = arbFile
  .chain((f) => fc.oneof(fc.constant(printFile(f)), arbMessy(printFile(f))))
  .chain((text) =>
    fc.array(fc.tuple(fc.constantFrom(...tokenBoundaries(text)), arbCommentInsert), { maxLength: 8 }).map((inserts) => {
      let out = text;
      for (const [at, c] of [...inserts].sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + c + out.slice(at);
      return out;
    }),
  );

describe("format with comments", () => {
  it("is idempotent, keeps the AST and keeps every comment exactly once", () => {
    fc.assert(
      fc.property(arbCommentedText, (text) => {
        const before = parseClean(text);
        const r = format(sourceFile("gen.aespec", text));
        if (r.text === null) throw new Error("refused");
        const once = r.text;
        const after = parseClean(once);
        expect(withoutSpans(after)).toEqual(withoutSpans(before));
        expect(commentTexts(after)).toEqual(commentTexts(before));
        expect(format(sourceFile("gen.aespec", once)).text).toBe(once);
        expect(once).not.toMatch(/[ \t]$/m);
        expect(once).not.toMatch(/\n\n\n/);
        expect(once === "" || (once.endsWith("\n") && !once.endsWith("\n\n") && !once.startsWith("\n"))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
