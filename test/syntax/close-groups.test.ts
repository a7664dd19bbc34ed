import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sourceFile, type Span } from "../../src/diagnostics/span.js";
import type { Model } from "../../src/syntax/ast.js";
import { lex } from "../../src/syntax/lex.js";
import { parse } from "../../src/syntax/parse.js";
import { visitFile } from "../../src/syntax/visit.js";
import { languageExamples, REPO_ROOT } from "../support/language-reference.js";

/** parse(source, { closeOpenGroups: true }): the AST an editor keeps while a file is half typed. */
const texts = [
  ...readdirSync(join(REPO_ROOT, "specs"))
    .filter((n) => n.endsWith(".aespec"))
    .map((n) => readFileSync(join(REPO_ROOT, "specs", n), "utf8")),
  ...languageExamples(),
];

const closed = (text: string) => parse(sourceFile("t.aespec", text), { closeOpenGroups: true });

/** Every name of the AST with its span, through the visitor. */
function names(text: string): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  visitFile(closed(text).file, {
    model: (m) => out.push({ name: m.name.name, span: m.name.span }),
    let: (l) => out.push({ name: l.name.name, span: l.name.span }),
    call: (c) => out.push({ name: c.callee.name, span: c.callee.span }),
    setting: (s) => out.push({ name: s.name.name, span: s.name.span }),
  });
  return out;
}

describe("closing the open groups of a half-typed file", () => {
  it("changes nothing in a file that is whole: the same AST as the plain parse", () => {
    for (const t of texts) expect(closed(t).file).toEqual(parse(sourceFile("t.aespec", t)).file);
  });

  it("keeps the model whose braces are open, the calls before an unfinished one and the sections after it", () => {
    const t = "let h = 64\nmodel ae {\n  input: [784]\n  encoder { dense(h) relu dense(\n  bottleneck: deterministic(8)\n  decoder { dense(784) sigmoid\n";
    expect(parse(sourceFile("t", t)).file.items.map((i) => i.kind)).toEqual(["Let"]); // what the plain parse keeps
    const m = closed(t).file.items[1] as Model;
    expect(m.name.name).toBe("ae");
    expect(m.sections.map((s) => s.kind)).toEqual(["InputSection", "EncoderSection", "BottleneckSection", "DecoderSection"]);
    const encoder = m.sections[1]!;
    expect(encoder.kind === "EncoderSection" && encoder.layers.map((l) => l.callee.name)).toEqual(["dense", "relu"]);
  });

  it("a call with its arguments written but no `)` is closed, not dropped", () => {
    const t = "model m {\n  encoder { conv(8, kernel: 3\n  bottleneck: gaussian(4)\n}\n";
    const m = closed(t).file.items[0] as Model;
    const encoder = m.sections[0]!;
    expect(encoder.kind === "EncoderSection" && encoder.layers.map((l) => l.args?.length)).toEqual([2]);
  });

  it("any prefix of a spec (a file as it is typed): no throw, and every name's span is that name in the text", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, cut) => {
        const full = texts[i]!;
        const t = full.slice(0, Math.floor(full.length * cut));
        for (const n of names(t)) expect(t.slice(n.span.start, n.span.end)).toBe(n.name);
      }),
      { numRuns: 300 },
    );
  });

  it("the prefix up to any token keeps every model that began before its last section keyword", () => {
    const t = texts.find((x) => x.includes("model vae"))!;
    const tokens = lex(sourceFile("t", t)).tokens;
    for (const tok of tokens) {
      if (!["encoder", "decoder", "loss", "train"].includes(tok.image)) continue;
      const prefix = t.slice(0, tok.startOffset + tok.image.length + 3);
      const models = closed(prefix).file.items.filter((x) => x.kind === "Model");
      const begun = (prefix.match(/\bmodel\s+\w+/g) ?? []).length;
      expect(models.length, JSON.stringify(prefix.slice(-40))).toBe(begun);
    }
  });
});
