import type { IToken, TokenType } from "chevrotain";
import { createTokenInstance } from "../../grammar/chevrotain.js";
import {
  Bottleneck,
  CLOSERS,
  Corrupt,
  Decoder,
  Encoder,
  Input,
  LCurly,
  Let,
  Loss,
  LParen,
  Model,
  NAME,
  OPENERS,
  Prior,
  RParen,
  Train,
} from "../../grammar/tokens.js";

/**
 * For an editor, where a file is mostly half typed: the token vector with the
 * brackets the user has not closed yet closed, by zero-width tokens, where
 * the grammar says they must end. A section keyword cannot stand inside a
 * call or a block, so it closes everything opened since its model's `{`; a
 * `model` or `let` closes everything; a `}` closes the `(` and `[` still
 * open inside its `{`; the end of the file closes the rest. A call left
 * unfinished (its last token `(`, `,` or `:`) is dropped instead of closed,
 * so that the calls around it still check. Real tokens keep
 * their offsets, so every span of the AST built from it points into the
 * text as written. (The parser's own recovery must not guess like this: a
 * diagnostic is about what was written.)
 */

const SECTION_KEYWORDS: readonly TokenType[] = [Input, Corrupt, Encoder, Bottleneck, Decoder, Prior, Loss, Train];
const TOP_KEYWORDS: readonly TokenType[] = [Model, Let];

interface Open {
  readonly closer: TokenType;
  /** A model's `{`, opened at the top level. */
  readonly modelBody: boolean;
  /** Where in the output the group's call starts (its name, or the `(` without one). */
  readonly from: number;
}

const UNFINISHED = new Set(["(", ",", ":"]);

export function closeOpenGroups(tokens: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  const open: Open[] = [];
  let lastEnd = 0;
  const close = (until: (o: Open) => boolean) => {
    while (open.length > 0 && !until(open[open.length - 1]!)) {
      const o = open.pop()!;
      if (o.closer === RParen && UNFINISHED.has(out[out.length - 1]?.image ?? "")) out.length = o.from;
      else out.push(closer(o.closer, lastEnd));
    }
  };
  for (const t of tokens) {
    const type = t.tokenType;
    if (TOP_KEYWORDS.includes(type)) close(() => false);
    else if (SECTION_KEYWORDS.includes(type)) close((o) => o.modelBody);
    const opening = OPENERS.indexOf(type);
    const closing = CLOSERS.indexOf(type);
    if (opening >= 0) {
      const named = type === LParen && out[out.length - 1]?.tokenType === NAME;
      open.push({ closer: CLOSERS[opening]!, modelBody: type === LCurly && open.length === 0, from: named ? out.length - 1 : out.length });
    } else if (closing >= 0 && open.some((o) => o.closer === type)) {
      close((o) => o.closer === type);
      open.pop();
    }
    out.push(t);
    lastEnd = t.startOffset + t.image.length;
  }
  close(() => false);
  return out;
}

function closer(type: TokenType, at: number): IToken {
  return createTokenInstance(type, "", at, at - 1, NaN, NaN, NaN, NaN);
}
