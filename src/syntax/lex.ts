import type { IToken } from "chevrotain";
import { aespecLexer, COMMENTS_GROUP, InvalidNumber, NUMBER, STRING, UnterminatedBlockComment, UnterminatedString } from "../../grammar/tokens.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";

/** Tokens of one text, with the lexical errors worded as diagnostics. */
export interface Lexed {
  /** Significant tokens in source order (offsets into source.text). */
  readonly tokens: IToken[];
  /** Comment tokens in source order. */
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
  /**
   * Start offsets of tokens that directly follow a run of unexpected
   * characters: a syntax error there is most likely the same mistake.
   */
  readonly afterBadChars: ReadonlySet<number>;
  /** A block comment ran to the end of the text, so a missing `}` there is no news. */
  readonly swallowedToEnd: boolean;
}

/** Lexes source.text from `start`; every offset is into source.text. */
export function lex(source: SourceFile, start = 0): Lexed {
  const text = start === 0 ? source.text : source.text.slice(start);
  const result = aespecLexer.tokenize(text);
  const tokens = result.tokens;
  const comments = result.groups[COMMENTS_GROUP] ?? [];
  if (start !== 0) {
    for (const t of tokens) t.startOffset += start;
    for (const t of comments) t.startOffset += start;
  }
  const at = (s: number, e: number): Span => ({ file: source.name, start: s, end: e });
  const diagnostics: Diagnostic[] = [];
  const afterBadChars = new Set<number>();

  // Runs of unexpected characters: the lexer reports one error per run.
  let next = 0;
  for (const e of result.errors) {
    const s = e.offset + start;
    const run = source.text.slice(s, s + e.length);
    diagnostics.push(unexpectedChars(run, at(s, s + e.length)));
    while (next < tokens.length && tokens[next]!.startOffset < s + e.length) next++;
    if (next < tokens.length) afterBadChars.add(tokens[next]!.startOffset);
  }

  for (const t of tokens) {
    const type = t.tokenType;
    if (type === NUMBER) {
      if (!Number.isFinite(Number(t.image))) {
        diagnostics.push(diag("AE1005", `number \`${t.image}\` is too large`, tokenSpan(source, t)));
      }
    } else if (type === InvalidNumber) {
      diagnostics.push(invalidNumber(t.image, tokenSpan(source, t)));
    } else if (type === STRING) {
      diagnostics.push(...invalidEscapes(source, t));
    } else if (type === UnterminatedString) {
      diagnostics.push(
        diag("AE1002", "unterminated string", tokenSpan(source, t), {
          hint: 'close it with `"` on the same line; a string cannot span lines',
        }),
      );
    }
  }

  let swallowedToEnd = false;
  for (const c of comments) {
    if (c.tokenType === UnterminatedBlockComment) {
      swallowedToEnd = true;
      diagnostics.push(
        diag("AE1003", "unterminated block comment", at(c.startOffset, c.startOffset + 2), {
          hint: "this `/*` has no matching `*/`, so the rest of the file is a comment",
        }),
      );
    }
  }
  return { tokens, comments, diagnostics, afterBadChars, swallowedToEnd };
}

export function tokenSpan(source: SourceFile, t: IToken): Span {
  return { file: source.name, start: t.startOffset, end: t.startOffset + t.image.length };
}

/** The value of a STRING token (also of an unterminated one): quotes removed, `\"` and `\\` resolved. */
export function decodeString(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !isEscaped(image, image.length - 1);
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(["\\])/g, "$1");
}

function isEscaped(s: string, i: number): boolean {
  let backslashes = 0;
  for (let j = i - 1; j >= 0 && s.charCodeAt(j) === 92; j--) backslashes++;
  return backslashes % 2 === 1;
}

function invalidEscapes(source: SourceFile, t: IToken): Diagnostic[] {
  const out: Diagnostic[] = [];
  const image = t.image;
  for (let i = image.indexOf("\\"); i !== -1 && i < image.length - 1; i = image.indexOf("\\", i + 2)) {
    const c = image[i + 1]!;
    if (c === '"' || c === "\\") continue;
    const s = t.startOffset + i;
    out.push(
      diag(
        "AE1004",
        `invalid escape \`\\${c}\` in string`,
        { file: source.name, start: s, end: s + 2 },
        {
          hint: 'the only escapes are `\\"` and `\\\\`',
        },
      ),
    );
  }
  return out;
}

function invalidNumber(image: string, at: Span): Diagnostic {
  const hint = "numbers are written like `128`, `0.25`, `.5` or `1e-3`";
  let why = "";
  if (/[eE][+-]?$/.test(image)) why = ": the exponent has no digits";
  else if (/\.(?![0-9])/.test(image)) why = ": a decimal point needs digits after it";
  else if (/\..*\./.test(image)) why = ": more than one decimal point";
  else if (/[A-Za-z_]/.test(image)) why = ": letters directly after a number";
  return diag("AE1005", `invalid number \`${shorten(image)}\`${why}`, at, { hint });
}

const CHAR_HINTS: Record<string, string> = {
  ";": "statements need no separator",
  "'": 'strings are written in double quotes: "..."',
  "#": "comments start with `//`",
};

function unexpectedChars(run: string, at: Span): Diagnostic {
  const printable = /^[\x21-\x7e]+$/.test(run);
  const shown = printable ? `\`${shorten(run)}\`` : codePoints(run);
  const message = [...run].length === 1 ? `unexpected character ${shown}` : `unexpected characters ${shown}`;
  const hint = CHAR_HINTS[run[0]!];
  return diag("AE1001", message, at, hint !== undefined ? { hint } : {});
}

function codePoints(run: string): string {
  const cps = [...run].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return cps.length > 4 ? `${cps.slice(0, 4).join(" ")} ...` : cps.join(" ");
}

function shorten(s: string): string {
  return s.length > 24 ? `${s.slice(0, 24)}...` : s;
}
