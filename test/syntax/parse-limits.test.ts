import { describe, expect, it } from "vitest";
import { MAX_EXPR_OPERANDS, MAX_FILE_BYTES, MAX_NESTING, MAX_SYNTAX_ERRORS, MAX_TOKENS } from "../../src/syntax/limits.js";
import { parseText, summary, textOf } from "./parse-helpers.js";

const MB = 1 << 20;

/** Each case must also finish quickly; the timeouts catch a hang or a quadratic blow-up. */
describe("limits", () => {
  it("AE1020: a file over the size limit is refused before lexing", () => {
    const r = parseText("let a = 1\n" + " ".repeat(MAX_FILE_BYTES));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE1020"]);
    expect(r.file.items).toEqual([]);
    // UTF-8 bytes count, not UTF-16 units
    const wide = parseText("// " + "é".repeat(MAX_FILE_BYTES / 2));
    expect(wide.diagnostics.map((d) => d.code)).toEqual(["AE1020"]);
  });

  it("AE1021: too many tokens, at the first token over the limit", () => {
    const r = parseText("x ".repeat(MAX_TOKENS + 1));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE1021"]);
    expect(r.diagnostics[0]!.span.start).toBe(2 * MAX_TOKENS);
  });

  it("AE1022: 1 MB of `(` is refused at the first bracket too deep, quickly", { timeout: 5000 }, () => {
    const r = parseText("(".repeat(MB));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "AE1022", span: { start: MAX_NESTING, end: MAX_NESTING + 1 } });
  });

  it("AE1022: counts all three kinds of bracket and accepts the deepest allowed nesting", () => {
    const ok = "let a = " + "f(".repeat(MAX_NESTING - 1) + "[1]" + ")".repeat(MAX_NESTING - 1);
    expect(parseText(ok).diagnostics).toEqual([]);
    // depth 3 at `f(`; the next MAX_NESTING - 2 parentheses reach MAX_NESTING + 1
    const deep = "model m { encoder { f(" + "(".repeat(MAX_NESTING - 2) + "1" + ")".repeat(MAX_NESTING - 1) + " } }";
    const r = parseText(deep);
    expect(summary(r.source, r.diagnostics)).toEqual(["AE1022@("]);
    expect(r.diagnostics[0]!.span.start).toBe(deep.indexOf("(") + MAX_NESTING - 2);
  });

  it("AE1023: an expression chain longer than the limit, at the first operand over it", () => {
    const ok = parseText("let a = " + Array(MAX_EXPR_OPERANDS).fill("1").join(" + "));
    expect(ok.diagnostics).toEqual([]);
    const text = "let a = " + Array(MAX_EXPR_OPERANDS).fill("1").join(" * ") + " - x" + " + 2".repeat(5);
    const r = parseText(text);
    expect(summary(r.source, r.diagnostics)).toEqual(["AE1023@x"]);
    expect(r.file.items).toEqual([]);
  });

  it("AE1023: operands inside parentheses and call arguments count towards their expression", () => {
    const inner = Array(MAX_EXPR_OPERANDS / 2)
      .fill("1")
      .join(" + ");
    const r = parseText(`let a = (${inner}) * f(${inner})`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE1023"]);
    // but separate expressions (shape dimensions, layer arguments) each have their own budget
    const dims = parseText(`model m { input: [${inner}, ${inner}, ${inner}] encoder { dense(${inner}) dense(${inner}) } }`);
    expect(dims.diagnostics).toEqual([]);
  });

  it("1 MB of `1+1+...` is refused (too many tokens) without deep recursion", { timeout: 10000 }, () => {
    const r = parseText("let a = " + "1+".repeat(MB / 2) + "1");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE1021"]);
    const smaller = parseText("let a = " + "1+".repeat(100_000) + "1");
    expect(smaller.diagnostics.map((d) => d.code)).toEqual(["AE1023"]);
  });

  it("stops after a bounded number of syntax errors, at any error density", { timeout: 10000 }, () => {
    for (const text of [
      "} let a = 1 ".repeat(50_000),
      "model a { encoder {" + "dense : ".repeat(50_000) + "} }",
      "let a = f(" + "1 2, ".repeat(50_000) + ")",
    ]) {
      const r = parseText(text);
      // errors every few tokens are mostly folded as cascades, but the parser still stops
      expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS);
      expect(r.diagnostics.length).toBeGreaterThan(0);
      expect(r.diagnostics.at(-1)!.hint).toBe("too many syntax errors: the rest of the file was not checked");
    }
  });

  it("1 MB of random bytes never throws and keeps every span inside the text", { timeout: 10000 }, () => {
    let seed = 12345;
    const chars: string[] = [];
    for (let i = 0; i < MB; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      chars.push(String.fromCharCode(seed % 256));
    }
    const r = parseText(chars.join(""));
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(r.source.text.length);
      expect(d.span.start).toBeLessThanOrEqual(d.span.end);
      expect(textOf(r.source, d.span)).toBeDefined();
    }
  });
});
