import type { Position, Range } from "vscode-languageserver";
import { lineCol, type SourceFile, type Span } from "../diagnostics/span.js";

/**
 * Offsets and LSP positions. Both count UTF-16 code units, the LSP's default
 * position encoding and JavaScript's string indexing, so no conversion of
 * characters is needed: only lines.
 */
export function positionOf(src: SourceFile, offset: number): Position {
  const { line, col } = lineCol(src, Math.min(Math.max(offset, 0), src.text.length));
  return { line: line - 1, character: col - 1 };
}

export function rangeOf(src: SourceFile, span: Pick<Span, "start" | "end">): Range {
  return { start: positionOf(src, span.start), end: positionOf(src, span.end) };
}

/** The offset of a position, clamped into its line (a character past the line's end is its end). */
export function offsetOf(src: SourceFile, p: Position): number {
  const starts = src.lineStarts;
  if (p.line >= starts.length) return src.text.length;
  const start = starts[Math.max(p.line, 0)]!;
  const next = starts[p.line + 1];
  const lineEnd = next === undefined ? src.text.length : next - 1;
  return Math.min(start + Math.max(p.character, 0), lineEnd);
}

/** Whether an offset is on a span, its end included (a cursor just after a name is on it). */
export function touches(span: Pick<Span, "start" | "end">, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
