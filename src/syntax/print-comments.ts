import type { Comment } from "./ast.js";
import type { SourceFile } from "../diagnostics/span.js";
import type { Row } from "./print-layout.js";

/**
 * Where each comment goes in the formatted output. Every comment is placed
 * exactly once: before a row (own-line comments), at the end of a row (comments
 * written after code on their line), or at the end of the file.
 */

/** What the formatter needs to know about the original text around comments. */
export interface SourceFacts {
  /** Whether code precedes the comment on the source line where it starts. */
  afterCode(c: Comment): boolean;
  /** Whether a blank line lies between two offsets (a comment in between is not blank). */
  blankBetween(from: number, to: number): boolean;
}

/** Without the text every comment counts as an own-line comment and no blank line is kept. */
const NO_SOURCE: SourceFacts = { afterCode: () => false, blankBetween: () => false };

const COMMENT_MARK = "\u0001";
const CODE_CHAR = /[^ \t\r\n\f\v\uFEFF\u0001]/;
const BLANK_LINE = /\n[ \t\r\f\v\uFEFF]*\n/;

export function sourceFacts(comments: readonly Comment[], source: SourceFile | undefined): SourceFacts {
  if (source === undefined) return NO_SOURCE;
  const text = source.text;
  // The text with every comment character replaced by a mark: neither code nor whitespace.
  let masked = "";
  let at = 0;
  for (const c of comments) {
    masked += text.slice(at, c.span.start) + COMMENT_MARK.repeat(c.span.end - c.span.start);
    at = c.span.end;
  }
  masked += text.slice(at);
  return {
    afterCode: (c) => {
      const before = text.slice(0, c.span.start);
      const lineStart = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
      return CODE_CHAR.test(masked.slice(lineStart, c.span.start));
    },
    blankBetween: (from, to) => BLANK_LINE.test(masked.slice(from, to)),
  };
}

export interface Placement {
  /** Per row: comments printed on their own lines before it. */
  readonly leading: readonly (readonly Comment[])[];
  /** Per row: comments printed at the end of its line. */
  readonly trailing: readonly (readonly Comment[])[];
  /** Own-line comments after the last row. */
  readonly end: readonly Comment[];
}

/**
 * Rows must be in source order (the formatter never reorders). A comment
 * inside a row's range (within an expression or a call) stays with that row:
 * at its end when code preceded it, else before it.
 */
export function placeComments(rows: readonly Row[], comments: readonly Comment[], facts: SourceFacts): Placement {
  const leading: Comment[][] = rows.map(() => []);
  const trailing: Comment[][] = rows.map(() => []);
  const end: Comment[] = [];
  let idx = -1; // the last row starting at or before the comment
  for (const c of comments) {
    while (idx + 1 < rows.length && rows[idx + 1]!.start <= c.span.start) idx++;
    const row = rows[idx];
    const afterCode = facts.afterCode(c);
    const interior = row !== undefined && c.span.start < row.end;
    if (row !== undefined && (interior || afterCode)) (afterCode ? trailing : leading)[idx]!.push(c);
    else if (idx + 1 < rows.length) leading[idx + 1]!.push(c);
    else end.push(c);
  }
  rows.forEach((_, i) => moveUnjoinable(leading[i]!, trailing[i]!));
  return { leading, trailing, end };
}

function isInlineBlock(c: Comment): boolean {
  return c.text.startsWith("/*") && !/[\r\n]/.test(c.text);
}

/**
 * Only one-line block comments can be followed by another comment on the same
 * line (after a `//` comment the rest of the line is that comment, and the two
 * would merge). The others move before the row, keeping their order.
 */
function moveUnjoinable(leading: Comment[], trailing: Comment[]): void {
  let keepFrom = trailing.length - 1;
  while (keepFrom > 0 && isInlineBlock(trailing[keepFrom - 1]!)) keepFrom--;
  if (keepFrom <= 0) return;
  leading.push(...trailing.splice(0, keepFrom));
  leading.sort((a, b) => a.span.start - b.span.start);
}
