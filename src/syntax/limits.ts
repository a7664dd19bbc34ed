import type { IToken } from "chevrotain";
import { CLOSERS, OPENERS } from "../../grammar/tokens.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";

/**
 * Limits on what the front end accepts, so that no input makes it overflow
 * the stack, hang or allocate without bound. Each is a located error, checked
 * before the stage it protects. Real specs stay far below all of them.
 */

/** UTF-8 size of a file (AE1020), checked before reading or lexing it. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Significant tokens in one file (AE1021), checked after lexing, before parsing. */
export const MAX_TOKENS = 500_000;

/**
 * Depth of `(`, `[` and `{` (AE1022), checked on the tokens before parsing: the
 * parser and every later tree walk recurse once per level.
 */
export const MAX_NESTING = 64;

/**
 * Operands in one expression, counting those of its parenthesised parts and of
 * the arguments of calls inside it (AE1023): a chain becomes a left-deep Binary
 * tree, which recursive consumers (checker, printer) must be able to walk.
 */
export const MAX_EXPR_OPERANDS = 1000;

/**
 * Syntax errors reported per file: after these the parser stops. Chevrotain
 * re-enters a repetition recursively after each re-sync, so unbounded errors
 * would also be unbounded stack depth. Lexical errors have their own cap.
 */
export const MAX_SYNTAX_ERRORS = 100;
export const MAX_LEXICAL_ERRORS = 100;

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function fileTooLarge(source: SourceFile, bytes: number, start = 0): Diagnostic {
  return diag("AE1020", `input is ${bytes} bytes; the limit is ${MAX_FILE_BYTES}`, { file: source.name, start, end: start });
}

/** Token count and bracket depth: the first limit exceeded, or null. */
export function checkTokenLimits(source: SourceFile, tokens: readonly IToken[]): Diagnostic | null {
  const at = (t: IToken) => ({ file: source.name, start: t.startOffset, end: t.startOffset + t.image.length });
  // The first limit exceeded in reading order: nesting within the allowed tokens, else the token count.
  let depth = 0;
  const n = Math.min(tokens.length, MAX_TOKENS);
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (OPENERS.includes(t.tokenType)) {
      depth++;
      if (depth > MAX_NESTING) {
        return diag("AE1022", `brackets nested more than ${MAX_NESTING} deep`, at(t), {
          hint: "name inner parts with `let`",
        });
      }
    } else if (depth > 0 && CLOSERS.includes(t.tokenType)) {
      depth--;
    }
  }
  if (tokens.length > MAX_TOKENS) {
    return diag("AE1021", `more than ${MAX_TOKENS} tokens`, at(tokens[MAX_TOKENS]!), {
      hint: "a file may hold several models, but not this many tokens: move some models to a file of their own",
    });
  }
  return null;
}
