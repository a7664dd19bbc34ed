import type { Comment, File } from "./ast.js";
import type { SourceFile } from "../diagnostics/span.js";
import { flatten, itemLayout, type Row } from "./print-layout.js";
import { placeComments, sourceFacts, type SourceFacts } from "./print-comments.js";

export { printArg, printCall, printExpr, printString, printValue } from "./print-expr.js";

/**
 * The canonical text of a file (`aespec fmt`): 2-space indentation, one layer,
 * term, setting or section per line, one blank line between top-level items
 * (consecutive lets stay together), every comment kept.
 *
 * With `source` (the text the file was parsed from), comments written after
 * code stay at the end of their line, and blank lines the user put between
 * lets and around top-level comments are kept (several collapse into one).
 * Without it every comment is printed on its own line before the code that
 * follows it and no optional blank line is kept.
 */
export function printFile(file: File, source?: SourceFile): string {
  const comments = [...file.comments].sort((a, b) => a.span.start - b.span.start);
  const facts = sourceFacts(comments, source);
  const rows: Row[] = [];
  const itemAtRow = new Map<number, number>();
  file.items.forEach((item, k) => {
    itemAtRow.set(rows.length, k);
    flatten(itemLayout(item), 0, comments, rows);
  });
  const placed = placeComments(rows, comments, facts);
  const out: string[] = [];
  rows.forEach((row, i) => {
    const k = itemAtRow.get(i);
    if (k === undefined) {
      for (const c of placed.leading[i]!) out.push(indent(row.commentDepth) + commentText(c));
    } else {
      topLevelLead(file, k, placed.leading[i]!, facts, out);
    }
    const trailing = placed.trailing[i]!;
    out.push(indent(row.depth) + row.text + (trailing.length === 0 ? "" : "  " + trailing.map(commentText).join(" ")));
  });
  const lastItem = file.items[file.items.length - 1];
  commentGroup(placed.end, lastItem?.span.end, facts, out);
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

function indent(depth: number): string {
  return "  ".repeat(depth);
}

/** A line comment's trailing whitespace is dropped; a block comment is kept verbatim. */
function commentText(c: Comment): string {
  return c.text.startsWith("//") ? c.text.trimEnd() : c.text;
}

/**
 * The separator before a top-level item and the comments above it. Items are
 * separated by one blank line, except consecutive lets, which keep one only
 * where the user wrote one.
 */
function topLevelLead(file: File, k: number, lead: readonly Comment[], facts: SourceFacts, out: string[]): void {
  const item = file.items[k]!;
  const prev = file.items[k - 1];
  if (prev !== undefined) {
    const firstStart = lead[0]?.span.start ?? item.span.start;
    if (prev.kind !== "Let" || item.kind !== "Let" || facts.blankBetween(prev.span.end, firstStart)) out.push("");
  }
  commentGroup(lead, undefined, facts, out);
  const last = lead[lead.length - 1];
  if (last !== undefined && facts.blankBetween(last.span.end, item.span.start)) out.push("");
}

/** Top-level own-line comments, keeping the blank lines written between them. */
function commentGroup(group: readonly Comment[], after: number | undefined, facts: SourceFacts, out: string[]): void {
  group.forEach((c, j) => {
    const from = j === 0 ? after : group[j - 1]!.span.end;
    if (from !== undefined && facts.blankBetween(from, c.span.start)) out.push("");
    out.push(commentText(c));
  });
}
