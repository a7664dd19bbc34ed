import { describe, expect, it } from "vitest";
import type { Model } from "../../src/syntax/ast.js";
import { parseText, summary, textOf } from "./parse-helpers.js";

function errors(text: string): string[] {
  const r = parseText(text);
  return summary(r.source, r.diagnostics);
}

function messages(text: string): string[] {
  return parseText(text).diagnostics.map((d) => d.message);
}

describe("lexical errors", () => {
  it("AE1001: one diagnostic per run of unexpected characters, with the run as span", () => {
    expect(errors("let a = 1 @#$ let b = 2 ~ let c = 3")).toEqual(["AE1001@@#$", "AE1001@~"]);
    expect(messages("let a = 1 @#$")).toEqual(["unexpected characters `@#$`"]);
    const r = parseText("let a = 1;");
    expect(r.diagnostics[0]).toMatchObject({ code: "AE1001", message: "unexpected character `;`", hint: "statements need no separator" });
  });

  it("AE1001: non-printable and non-ASCII characters are named by code point", () => {
    expect(messages("let a = 1 \u0000")).toEqual(["unexpected character U+0000"]);
    expect(errors("let é = 1")).toEqual(["AE1001@é"]);
    expect(messages("let é = 1")[0]).toBe("unexpected character U+00E9");
  });

  it("AE1001: the syntax error a bad character causes right after it is not reported again", () => {
    expect(errors("model m { input: [28 @ 28] }")).toEqual(["AE1001@@"]);
  });

  it("AE1002: an unterminated string runs to the end of its line", () => {
    expect(errors('model m { train { data: "x.npy\n} }')).toEqual(['AE1002@"x.npy']);
  });

  it("AE1003: an unterminated block comment points at its opening, and hides no further error", () => {
    expect(errors("model m { input: [1] /* open\n}")).toEqual(["AE1003@/*"]);
  });

  it("AE1004: each invalid escape, spanning the backslash and the character", () => {
    expect(errors('model m { train { data: "a\\tb\\\\c\\"d\\q" } }')).toEqual(["AE1004@\\t", "AE1004@\\q"]);
  });

  it("AE1005: malformed and overflowing numbers, as one token each", () => {
    expect(errors("let a = 1e let b = 5. let c = 1.2.3 let d = 12abc let e = 1e999 let f = 1e+")).toEqual([
      "AE1005@1e",
      "AE1005@5.",
      "AE1005@1.2.3",
      "AE1005@12abc",
      "AE1005@1e999",
      "AE1005@1e+",
    ]);
    expect(messages("let a = 1e")).toEqual(["invalid number `1e`: the exponent has no digits"]);
    expect(messages("let a = 1e999")).toEqual(["number `1e999` is too large"]);
  });

  it("numbers have no sign: `-1` is a negation", () => {
    const r = parseText("let a = -1");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.items[0]).toMatchObject({ value: { kind: "Neg", operand: { kind: "Number", value: 1, text: "1" } } });
  });
});

describe("syntax errors", () => {
  it("AE1010 spans the offending token, with a concise message", () => {
    const r = parseText("model m { encoder { dense(2 relu } }");
    expect(summary(r.source, r.diagnostics)).toEqual(["AE1010@relu"]);
    expect(r.diagnostics[0]!.message).toBe("expected `,` or `)`, found `relu`");
  });

  it("names what a place expects", () => {
    expect(messages("model m { foo }")).toEqual(["expected a section (input, corrupt, encoder, ...) or `}`, found `foo`"]);
    expect(messages("let a = )")).toEqual(["expected an expression, found `)`"]);
    expect(messages("model m { loss { kl(beta: ) } }")).toEqual(["expected a value (a number, name, shape or string), found `)`"]);
    expect(messages("model m { input [1] }")).toEqual(["expected `:`, found `[`"]);
    expect(messages("} let a = 1")).toEqual(["expected `let` or `model`, found `}`"]);
    expect(messages("model m { encoder { f(,) } }")).toEqual(["expected an argument or `)`, found `,`"]);
    expect(messages("model { }")).toEqual(["expected a name, found `{`"]);
  });

  it("hints that blocks take no commas", () => {
    const r = parseText("model m { decoder { dense(1), relu } }");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "AE1010", hint: "the items of a block are not separated by commas" });
  });

  it("AE1011 at the end of the input, pointing just after the last token", () => {
    const r = parseText("model m {\n  input: [1]\n\n// trailing comment\n");
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe("AE1011");
    expect(d.message).toBe("unexpected end of file: expected a section (input, corrupt, encoder, ...) or `}`");
    expect(d.span.start).toBe(r.source.text.indexOf("]") + 1);
    expect(d.span.end).toBe(d.span.start);
    expect(messages("let a = (1 + 2")).toEqual(["unexpected end of file: expected `)`"]);
  });

  it("reports three separate mistakes in three models as exactly three diagnostics", () => {
    const text = `model a {
  input: [28, 28 1]
  bottleneck: deterministic(8)
  decoder { dense(784) reshape([28, 28, 1]) }
}

model b {
  input: [64]
  bottleneck: gaussian(8 }
  decoder { dense(64) }
}

model c {
  input: [64]
  bottleneck: deterministic(8)
  decoder { dense(64) }
  loss { reconstruction(mse)  kl(beta 1) }
}
`;
    expect(errors(text)).toEqual(["AE1010@1", "AE1010@}", "AE1010@1"]);
  });

  it("reports three mistakes of different kinds in sections of one model as three diagnostics", () => {
    const text = `model a {
  input: [64] in [0 1]
  encoder { dense(32) relu, }
  bottleneck: deterministic(8)
  decoder { dense(64) }
  train { data: mnist  batch 128  epochs: 2 }
}
`;
    expect(errors(text)).toEqual(["AE1010@1", "AE1010@,", "AE1010@128"]);
  });

  it("skips a misspelt section with its block and goes on with the next section", () => {
    const r = parseText("model a { decodr { dense(1) } bottleneck x(1) input: [1] }");
    expect(summary(r.source, r.diagnostics)).toEqual(["AE1010@decodr", "AE1010@x"]);
  });

  it("keeps the models after a broken one, and drops only what is incomplete", () => {
    const r = parseText(`model a { input: [1, }
model b { input: [2] encoder { dense(3 } }
model c { input: [4] decoder { dense(5) } }
let d = 6 +
let e = 7`);
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(3);
    const names = r.file.items.map((x) => x.name.name);
    expect(names).toContain("c");
    expect(names).toContain("e");
    expect(names).not.toContain("d");
    const c = r.file.items.find((x) => x.name.name === "c") as Model;
    expect(c.sections.map((s) => textOf(r.source, s.span))).toEqual(["input: [4]", "decoder { dense(5) }"]);
  });

  it("does not report stray text after a model that already has an error", () => {
    // the `}` meant as `)` ends the model early; `decoder { ... } }` is the same mistake
    expect(errors("model b { bottleneck: gaussian(8 } decoder { dense(64) } }\nmodel c { }")).toEqual(["AE1010@}"]);
  });

  it("reports stray text at the top level when nothing came before it", () => {
    expect(errors("model a { } }\nmodel b { }")).toEqual(["AE1010@}"]);
    expect(parseText("model a { } }\nmodel b { }").file.items).toHaveLength(2);
  });

  it("gives at most one diagnostic per offending token, and every diagnostic is an error", () => {
    const r = parseText("model m { input: [ ] encoder { ( } train { : } }");
    const starts = r.diagnostics.map((d) => d.span.start);
    expect(new Set(starts).size).toBe(starts.length);
    expect(r.diagnostics.every((d) => d.severity === "error")).toBe(true);
  });
});
