import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { sourceFile, type SourceFile, type Span } from "../../src/diagnostics/span.js";
import { parse, type ParseResult } from "../../src/syntax/parse.js";

/** Shared by the parse*.test.ts files. */

export function parseText(text: string, name = "test.aespec"): ParseResult & { source: SourceFile } {
  const source = sourceFile(name, text);
  return { ...parse(source), source };
}

/** The text a span covers. */
export function textOf(source: SourceFile, span: Span): string {
  return source.text.slice(span.start, span.end);
}

/** `CODE@text-under-span` for each diagnostic: compact to compare, and checks where it points. */
export function summary(source: SourceFile, ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${textOf(source, d.span)}`);
}

export { languageExamples } from "../support/language-reference.js";
