import { describe, expect, it } from "vitest";
import { aespecLexer, COMMENTS_GROUP } from "../../grammar/tokens.js";

/** `Type:image` for each significant token. */
function lexed(text: string): string[] {
  return aespecLexer.tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("tokens", () => {
  it("keywords are whole words; longer words are names", () => {
    expect(lexed("model models input inputs in index let letter train trainer loss")).toEqual([
      "Model:model",
      "NAME:models",
      "Input:input",
      "NAME:inputs",
      "In:in",
      "NAME:index",
      "Let:let",
      "NAME:letter",
      "Train:train",
      "NAME:trainer",
      "Loss:loss",
    ]);
  });

  it("numbers carry no sign and take `.5` and exponents", () => {
    expect(lexed("128 0.25 .5 1e-3 2.5E+4 -1 3-2")).toEqual([
      "NUMBER:128",
      "NUMBER:0.25",
      "NUMBER:.5",
      "NUMBER:1e-3",
      "NUMBER:2.5E+4",
      "Minus:-",
      "NUMBER:1",
      "NUMBER:3",
      "Minus:-",
      "NUMBER:2",
    ]);
  });

  it("a malformed number is one InvalidNumber token", () => {
    expect(lexed("1e 5. 1.2.3 12abc 1e-3x 1e+")).toEqual([
      "InvalidNumber:1e",
      "InvalidNumber:5.",
      "InvalidNumber:1.2.3",
      "InvalidNumber:12abc",
      "InvalidNumber:1e-3x",
      "InvalidNumber:1e+",
    ]);
  });

  it("strings take escapes and stop at the end of their line when unterminated", () => {
    expect(lexed('"a\\"b\\\\" "x\\q" "open\nnext')).toEqual(['STRING:"a\\"b\\\\"', 'STRING:"x\\q"', 'UnterminatedString:"open', "NAME:next"]);
  });

  it("comments go to their own group, in order, and an unclosed block comment takes the rest", () => {
    const r = aespecLexer.tokenize("a // one\n/* two */ b /* three");
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b"]);
    expect(r.groups[COMMENTS_GROUP]!.map((t) => `${t.tokenType.name}:${t.image}`)).toEqual([
      "LineComment:// one",
      "BlockComment:/* two */",
      "UnterminatedBlockComment:/* three",
    ]);
  });

  it("a block comment ends at its first `*/`", () => {
    const r = aespecLexer.tokenize("/* a */ x /* b **/ y /***/ z");
    expect(r.tokens.map((t) => t.image)).toEqual(["x", "y", "z"]);
  });

  it("punctuation, and `/` apart from comments", () => {
    expect(lexed("{}()[],:=+-*/ a/b")).toEqual([
      "LCurly:{",
      "RCurly:}",
      "LParen:(",
      "RParen:)",
      "LBracket:[",
      "RBracket:]",
      "Comma:,",
      "Colon::",
      "Equals:=",
      "Plus:+",
      "Minus:-",
      "Star:*",
      "Slash:/",
      "NAME:a",
      "Slash:/",
      "NAME:b",
    ]);
  });

  it("reports a run of unexpected characters once, with its offset and length", () => {
    const r = aespecLexer.tokenize("a @#$ b ~");
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([
      [2, 3],
      [8, 1],
    ]);
  });
});
