import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

/**
 * The tokens of aespec (docs/language.md, "Lexical").
 *
 * Numbers carry no sign (`-1` is `-` then `1`; negation is a Neg node). Accepted:
 * `128`, `0.25`, `.5`, `1e-3`, `2.5E+4`. Not accepted: `5.` and `1.e3` (a point
 * needs digits after it), `1e` (an exponent needs digits), `12abc` (letters
 * glued to a number). Those are lexed as one InvalidNumber token, so the error
 * covers exactly the bad literal and the parser sees a number (no cascade).
 *
 * Strings stay on one line and know two escapes, `\"` and `\\`. A string
 * without its closing quote runs to the end of its line (UnterminatedString,
 * again a STRING to the parser). Other escapes are reported by the lexing
 * step in src/syntax, which has the offsets at hand.
 *
 * Error tokens are categorised under the token they stand for (InvalidNumber
 * is a NUMBER, UnterminatedString a STRING) so that the grammar never names them.
 */

export const COMMENTS_GROUP = "comments";

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: COMMENTS_GROUP,
});

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//,
  group: COMMENTS_GROUP,
  line_breaks: true,
});

/** `/*` with no `*\/` after it: swallows the rest of the file (AE1003). */
export const UnterminatedBlockComment = createToken({
  name: "UnterminatedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: COMMENTS_GROUP,
  line_breaks: true,
});

export const NAME = createToken({ name: "NAME", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: new RegExp(word), longer_alt: NAME });
}

export const Model = keyword("model");
export const Extends = keyword("extends");
export const Let = keyword("let");
export const Input = keyword("input");
export const In = keyword("in");
export const Corrupt = keyword("corrupt");
export const Encoder = keyword("encoder");
export const Bottleneck = keyword("bottleneck");
export const Decoder = keyword("decoder");
export const Prior = keyword("prior");
export const Loss = keyword("loss");
export const Train = keyword("train");

/** Longest words first where one is a prefix of another (`input` before `in`). */
const KEYWORDS = [Model, Extends, Let, Input, In, Corrupt, Encoder, Bottleneck, Decoder, Prior, Loss, Train];
/** The reserved words, as written. */
export const KEYWORD_WORDS: readonly string[] = KEYWORDS.map((k) => (k.PATTERN as RegExp).source);

export const NUMBER = createToken({
  name: "NUMBER",
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.])/,
  start_chars_hint: [".", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});

/** Anything number-like that NUMBER refused: `1e`, `5.`, `1.2.3`, `12abc` (AE1005). */
export const InvalidNumber = createToken({
  name: "InvalidNumber",
  pattern: /(?:\d|\.\d)(?:[eE][+-]|[A-Za-z0-9_.])*/,
  categories: [NUMBER],
  start_chars_hint: [".", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});

export const STRING = createToken({ name: "STRING", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/ });

/** A string whose line ends first (AE1002). */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r]?)*/,
  categories: [STRING],
});

export const LCurly = createToken({ name: "LCurly", pattern: "{" });
export const RCurly = createToken({ name: "RCurly", pattern: "}" });
export const LParen = createToken({ name: "LParen", pattern: "(" });
export const RParen = createToken({ name: "RParen", pattern: ")" });
export const LBracket = createToken({ name: "LBracket", pattern: "[" });
export const RBracket = createToken({ name: "RBracket", pattern: "]" });
export const Comma = createToken({ name: "Comma", pattern: "," });
export const Colon = createToken({ name: "Colon", pattern: ":" });
export const Equals = createToken({ name: "Equals", pattern: "=" });
export const Plus = createToken({ name: "Plus", pattern: "+" });
export const Minus = createToken({ name: "Minus", pattern: "-" });
export const Star = createToken({ name: "Star", pattern: "*" });
export const Slash = createToken({ name: "Slash", pattern: "/" });

/** Brackets, whose nesting depth is limited before parsing. */
export const OPENERS: readonly TokenType[] = [LParen, LBracket, LCurly];
export const CLOSERS: readonly TokenType[] = [RParen, RBracket, RCurly];

/** Lexer order matters: comments before `/`, keywords before NAME, NUMBER before InvalidNumber. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  ...KEYWORDS,
  NAME,
  NUMBER,
  InvalidNumber,
  STRING,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
];

/**
 * How a token type reads in the grammar and in messages: `literal` for fixed
 * text (quoted in EBNF, back-quoted in messages), `terminal` for a class of
 * words (NAME, NUMBER, STRING) with the phrase a message uses for it.
 */
export type TokenShow = { readonly literal: string } | { readonly terminal: string; readonly phrase: string };

const TERMINALS: Record<string, TokenShow> = {
  NAME: { terminal: "NAME", phrase: "a name" },
  NUMBER: { terminal: "NUMBER", phrase: "a number" },
  STRING: { terminal: "STRING", phrase: "a string" },
};

export function showToken(type: TokenType): TokenShow {
  const terminal = TERMINALS[type.name];
  if (terminal !== undefined) return terminal;
  const pattern = type.PATTERN;
  if (typeof pattern === "string") return { literal: pattern };
  if (pattern instanceof RegExp && KEYWORDS.includes(type)) return { literal: pattern.source };
  throw new Error(`internal: token ${type.name} has no display form`);
}

/**
 * The lexer, built once. Offsets are all the front end needs (line and column
 * come from SourceFile.lineStarts when a diagnostic is shown). Its own messages
 * are never shown (src/syntax/lex.ts words them), so they are not built.
 */
export const aespecLexer = new Lexer([...ALL_TOKENS], {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: () => "",
    buildUnableToPopLexerModeMessage: () => "",
  },
});
