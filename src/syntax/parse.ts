import type { CstNode, IToken } from "chevrotain";
import { setEndName } from "../../grammar/messages.js";
import { aespecParser, TooManySyntaxErrors } from "../../grammar/parser.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";
import type { Comment, File, Value } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { closeOpenGroups } from "./close-groups.js";
import { lex, type Lexed } from "./lex.js";
import { checkTokenLimits, fileTooLarge, MAX_FILE_BYTES, MAX_LEXICAL_ERRORS, MAX_SYNTAX_ERRORS, utf8Length } from "./limits.js";
import { syntaxDiagnostics } from "./syntax-errors.js";

export interface ParseResult {
  readonly file: File;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseOptions {
  /**
   * Close the brackets left open (close-groups.ts) before parsing, so that a
   * half-typed model still comes through: for an editor's hover and
   * completion. Its diagnostics are then not the file's; parse without it for those.
   */
  readonly closeOpenGroups?: boolean;
}

/**
 * Parses a whole file. Never throws on user input: every lexical and syntax
 * error of the file is a diagnostic (up to the caps in limits.ts), and `file`
 * holds every let and model that came through complete.
 */
export function parse(source: SourceFile, options: ParseOptions = {}): ParseResult {
  const text = source.text;
  const whole = { file: source.name, start: 0, end: text.length };
  const empty = (comments: Comment[]): File => ({ kind: "File", items: [], comments, span: whole });

  const bytes = text.length > MAX_FILE_BYTES / 3 ? utf8Length(text) : 0;
  if (bytes > MAX_FILE_BYTES) return { file: empty([]), diagnostics: [fileTooLarge(source, bytes)] };

  const lexed = lex(source);
  const comments = lexed.comments.map((t): Comment => ({ kind: "Comment", text: t.image, span: spanOf(source, t) }));
  const lexical = lexed.diagnostics.slice(0, MAX_LEXICAL_ERRORS);
  const limit = checkTokenLimits(source, lexed.tokens);
  if (limit !== null) return { file: empty(comments), diagnostics: ordered([...lexical, limit]) };

  const tokens = options.closeOpenGroups === true ? { ...lexed, tokens: closeOpenGroups(lexed.tokens) } : lexed;
  const { cst, syntax } = runParser("file", tokens, source);
  if (cst === null) return { file: empty(comments), diagnostics: ordered([...lexical, ...syntax]) };
  const builder = new AstBuilder(source.name);
  const file: File = { kind: "File", items: builder.items(cst), comments, span: whole };
  return { file, diagnostics: ordered([...lexical, ...syntax, ...builder.diagnostics]) };
}

/**
 * Parses one `value` (expr | shape | STRING) from source.text at offset
 * `start` to its end, as for the right side of `--set key=value`. Spans are
 * offsets into source.text. `value` is null whenever there is an error.
 */
export function parseValue(source: SourceFile, start = 0): { value: Value | null; diagnostics: readonly Diagnostic[] } {
  const bytes = source.text.length - start > MAX_FILE_BYTES / 3 ? utf8Length(source.text.slice(start)) : 0;
  if (bytes > MAX_FILE_BYTES) return { value: null, diagnostics: [fileTooLarge(source, bytes, start)] };

  const lexed = lex(source, start);
  const lexical = lexed.diagnostics.slice(0, MAX_LEXICAL_ERRORS);
  const limit = checkTokenLimits(source, lexed.tokens);
  if (limit !== null) return { value: null, diagnostics: ordered([...lexical, limit]) };

  setEndName("input");
  try {
    const { cst, syntax } = runParser("value", lexed, source);
    const builder = new AstBuilder(source.name);
    const value = cst === null ? null : builder.value(cst);
    const diagnostics = ordered([...lexical, ...syntax, ...builder.diagnostics]);
    return { value: diagnostics.some((d) => d.severity === "error") ? null : value, diagnostics };
  } finally {
    setEndName("file");
  }
}

/** Runs the shared parser from a start rule; the CST is null when it gave up (too many errors). */
function runParser(rule: "file" | "value", lexed: Lexed, source: SourceFile): { cst: CstNode | null; syntax: Diagnostic[] } {
  const parser = aespecParser;
  parser.maxErrors = MAX_SYNTAX_ERRORS * 2; // head-room for the errors syntaxDiagnostics folds away
  let cst: CstNode | null = null;
  let stopped = false;
  try {
    cst = parser.run(lexed.tokens, rule);
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
    stopped = true;
  }
  // After giving up, Chevrotain's end-of-parse check still finds input left: no news.
  const errors = stopped ? parser.errors.filter((e) => e.name !== "NotAllInputParsedException") : parser.errors;
  const syntax = syntaxDiagnostics(source, errors, lexed, stopped);
  parser.release();
  return { cst, syntax };
}

function spanOf(source: SourceFile, t: IToken) {
  return { file: source.name, start: t.startOffset, end: t.startOffset + t.image.length };
}

/** Source order; a stable sort keeps the order of diagnostics at one place. */
function ordered(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
