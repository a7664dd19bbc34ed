import type { IRecognitionException, IToken } from "chevrotain";
import { EOF } from "../../grammar/chevrotain.js";
import { Comma, Let, Model } from "../../grammar/tokens.js";
import { diag, type Diagnostic, type DiagnosticExtras } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import type { Lexed } from "./lex.js";
import { MAX_SYNTAX_ERRORS } from "./limits.js";

/**
 * Tokens that must pass after a syntax error before another one is reported:
 * closer than that, the second is almost always the parser's confusion after
 * the first (as in yacc's error recovery).
 */
const CASCADE_WINDOW = 3;

/**
 * The parser's errors as diagnostics: AE1011 when the offending token is the
 * end of the input (pointing just after the last token), AE1010 otherwise
 * (spanning the offending token). Cascades are folded away:
 * - none within CASCADE_WINDOW tokens after the previous error (so also at
 *   most one per offending token);
 * - none at the token right after a run of unexpected characters, which the
 *   lexer has reported already (`[28 @ 28]` is one mistake, not two);
 * - no end-of-file error when a block comment swallowed the end of the file;
 * - no "expected `let` or `model`" for stray text after a model (or let) that
 *   already has an error: that error most likely made the parser end the
 *   model early (`gaussian(8 }` closes the model at the `}`).
 */
export function syntaxDiagnostics(source: SourceFile, errors: readonly IRecognitionException[], lexed: Lexed, stopped: boolean): Diagnostic[] {
  const tokens = lexed.tokens;
  const last = tokens[tokens.length - 1];
  const endOfInput = last === undefined ? source.text.length : last.startOffset + last.image.length;
  const out: Diagnostic[] = [];
  let truncated = stopped;
  let previous = -Infinity; // token index of the previous error, reported or not
  let lastReported = -1; // offset of the last reported error
  let itemStarts: number[] | null = null;
  for (const e of errors) {
    const t = e.token;
    const atEnd = t.tokenType === EOF;
    if (!atEnd && !Number.isFinite(t.startOffset)) continue; // a token inserted by recovery: not where the user erred
    const index = atEnd ? tokens.length : indexAt(tokens, t.startOffset);
    const cascade = index >= previous && index - previous <= CASCADE_WINDOW;
    previous = Math.max(previous, index);
    if (cascade) continue;
    if (atEnd && lexed.swallowedToEnd) continue;
    if (!atEnd && lexed.afterBadChars.has(t.startOffset)) continue;
    if (!atEnd && lastReported >= 0 && e.context.ruleStack.length === 1) {
      itemStarts ??= startsOfItems(tokens);
      if (lastReported > lastBefore(itemStarts, t.startOffset)) continue;
    }
    if (out.length === MAX_SYNTAX_ERRORS) {
      truncated = true;
      break;
    }
    const span: Span = atEnd
      ? { file: source.name, start: endOfInput, end: endOfInput }
      : { file: source.name, start: t.startOffset, end: t.startOffset + t.image.length };
    out.push(diag(atEnd ? "AE1011" : "AE1010", e.message, span, hintFor(e)));
    lastReported = span.start;
  }
  if (out.length > 0 && truncated) {
    const lastOne = out.pop()!;
    out.push(diag(lastOne.code, lastOne.message, lastOne.span, { hint: "too many syntax errors: the rest of the file was not checked" }));
  }
  return out;
}

/** The index of the token that starts at `offset` (tokens are in source order). */
function indexAt(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Offsets of the `model` and `let` keywords, in order. */
function startsOfItems(tokens: readonly IToken[]): number[] {
  return tokens.filter((t) => t.tokenType === Model || t.tokenType === Let).map((t) => t.startOffset);
}

/** The largest value in sorted `xs` below `x`, or -1. */
function lastBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? xs[lo - 1]! : -1;
}

/** A comma where a block expected its next item or `}`: a habit from other languages. */
function hintFor(e: IRecognitionException): DiagnosticExtras {
  if (e.token.tokenType === Comma && e.message.includes("`}`")) return { hint: "the items of a block are not separated by commas" };
  return {};
}
