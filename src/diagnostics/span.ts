/** A half-open range of UTF-16 offsets [start, end) in one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A source text with a line index, so spans can be turned into line:column. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
  readonly lineStarts: readonly number[];
}

export function sourceFile(name: string, text: string): SourceFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  return { name, text, lineStarts };
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** The smallest span covering both (same file assumed). */
export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** 1-based line and column of an offset. */
export function lineCol(src: SourceFile, offset: number): { line: number; col: number } {
  const starts = src.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** The text of a 1-based line, without its line terminator. */
export function lineText(src: SourceFile, line: number): string {
  const start = src.lineStarts[line - 1] ?? src.text.length;
  const next = src.lineStarts[line];
  const end = next === undefined ? src.text.length : next - 1;
  return src.text.slice(start, end).replace(/\r$/, "");
}
