import { describe, expect, it } from "vitest";
import { aespecParser } from "../../grammar/parser.js";
import { Brackets } from "../../grammar/recovery.js";
import { aespecLexer } from "../../grammar/tokens.js";

function errorsOf(text: string): string[] {
  aespecParser.run(aespecLexer.tokenize(text).tokens, "file");
  const out = aespecParser.errors.map((e) => `${e.token.image || "EOF"}: ${e.message}`);
  aespecParser.release();
  return out;
}

describe("Brackets", () => {
  it("matches brackets by kind; a closer also closes the brackets opened since its opener", () => {
    const tokens = aespecLexer.tokenize("{ f ( 8 } ] [ x ]").tokens;
    //                                   0 1 2 3 4 5 6 7 8
    const b = new Brackets(tokens);
    expect([...b.depth]).toEqual([0, 1, 1, 2, 2, 0, 0, 1, 1, 0]); // open before each token, then at the end
    expect(b.closer[0]).toBe(4); // `}` closes `{` ...
    expect(b.closer[2]).toBe(-1); // ... and with it the unclosed `(`
    expect(b.closer[6]).toBe(8);
    expect(b.opener[3]).toBe(2);
    expect(b.opener[7]).toBe(6);
    expect(b.opener[9]).toBe(-1);
  });

  it("ignores a closer with no opener of its kind", () => {
    const b = new Brackets(aespecLexer.tokenize("( ] )").tokens);
    expect([...b.depth]).toEqual([0, 1, 1, 0]);
    expect(b.closer[0]).toBe(2);
  });
});

describe("bracket-aware recovery", () => {
  it("skips a bad item with its whole block, instead of ending the model at the block's `}`", () => {
    expect(errorsOf("model a { decodr { dense(1) } bottleneck: x(1) } model b { }")).toEqual([
      "decodr: expected a section (input, corrupt, encoder, ...) or `}`, found `decodr`",
    ]);
  });

  it("does not re-sync on the next loss term's name while still inside a call's parentheses", () => {
    expect(errorsOf("model a { loss { mmd(: 10, kernel: imq) kl() } }")).toEqual([":: expected an argument or `)`, found `:`"]);
  });

  it("does not assume a missing `)` when the group is closed further on", () => {
    expect(errorsOf("model a { encoder { f(a b c) relu } }")).toEqual(["b: expected `,` or `)`, found `b`"]);
  });

  it("assumes a missing `)` when an enclosing bracket closes first", () => {
    expect(errorsOf("model a { encoder { dense(2 relu } }")).toEqual(["relu: expected `,` or `)`, found `relu`"]);
  });

  it("deletes a stray token rather than inserting one when the token after it fits", () => {
    expect(errorsOf("model a encoder { input: [1] }")).toEqual(["encoder: expected `{`, found `encoder`"]);
  });
});
