import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFile } from "../../src/diagnostics/span.js";
import type { File } from "../../src/syntax/ast.js";
import { format } from "../../src/syntax/format.js";
import { parse } from "../../src/syntax/parse.js";
import { withoutSpans } from "./arbitrary.js";
import { languageExamples } from "../support/language-reference.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/fmt");

function formatText(text: string): string {
  const r = format(sourceFile("t.aespec", text));
  expect(r.diagnostics).toEqual([]);
  if (r.text === null) throw new Error("format refused a file without syntax errors");
  return r.text;
}

function parsed(text: string): File {
  const r = parse(sourceFile("t.aespec", text));
  expect(r.diagnostics).toEqual([]);
  return r.file;
}

/** The multiset of comments; a line comment's trailing blanks do not count. */
function commentTexts(f: File): string[] {
  return f.comments.map((c) => (c.text.startsWith("//") ? c.text.trimEnd() : c.text)).sort();
}

/** Formatting keeps the AST (spans aside) and every comment, and is a fixed point. */
function expectFaithful(input: string, output: string): void {
  const before = parsed(input);
  const after = parsed(output);
  expect(withoutSpans(after)).toEqual(withoutSpans(before));
  expect(commentTexts(after)).toEqual(commentTexts(before));
  expect(formatText(output)).toBe(output);
}

describe("format: golden pairs in test/fixtures/fmt", () => {
  const inputs = readdirSync(FIXTURES).filter((f) => f.endsWith(".in.aespec"));
  it("has fixtures", () => expect(inputs.length).toBeGreaterThanOrEqual(5));
  for (const name of inputs) {
    it(name, () => {
      const input = readFileSync(path.join(FIXTURES, name), "utf8");
      const expected = readFileSync(path.join(FIXTURES, name.replace(".in.", ".out.")), "utf8");
      const output = formatText(input);
      expect(output).toBe(expected);
      expectFaithful(input, output);
    });
  }
});

describe("format: docs/language.md examples", () => {
  const examples = languageExamples();
  it("finds the examples", () => expect(examples.length).toBeGreaterThanOrEqual(9));
  examples.forEach((example, i) => {
    it(`example ${i + 1} formats idempotently, keeping its meaning and comments`, () => {
      const once = formatText(example);
      expect(once.endsWith("\n") && !once.endsWith("\n\n")).toBe(true);
      expect(once).not.toMatch(/[ \t]$/m);
      expectFaithful(example, once);
    });
  });
});

describe("format: text", () => {
  it("ends with exactly one newline and drops trailing blanks of line comments", () => {
    expect(formatText("\n\nlet a = 1 // x   \n\n\n")).toBe("let a = 1  // x\n");
  });

  it("formats a file of comments only, and an empty file", () => {
    expect(formatText("  // a\n\n\n   /* b */  ")).toBe("// a\n\n/* b */\n");
    expect(formatText("")).toBe("");
  });

  it("normalises CRLF line ends", () => {
    expect(formatText("let a = 1\r\n\r\nlet b = 2 // c\r\n")).toBe("let a = 1\n\nlet b = 2  // c\n");
  });

  it("refuses a file with syntax errors and returns the parser's diagnostics", () => {
    const r = format(sourceFile("bad.aespec", "model m { input: [4 }\n"));
    expect(r.text).toBeNull();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.code.startsWith("AE1"))).toBe(true);
  });
});
