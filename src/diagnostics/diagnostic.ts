import type { Span } from "./span.js";
import { CODES, type Code } from "./codes.js";

export type Severity = "error" | "warning";

export interface Related {
  readonly span: Span;
  readonly message: string;
}

/** One replacement of source text: the span's text becomes `text` (an empty span inserts). */
export interface Edit {
  readonly span: Span;
  readonly text: string;
}

/** A change that fixes the diagnostic exactly, stated by the stage that found it: an editor offers it as a quick fix. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
}

/** Diagnostics are data: every stage returns them, only the CLI prints them. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly Related[];
  readonly hint?: string;
  readonly fixes?: readonly Fix[];
}

export interface DiagnosticExtras {
  readonly related?: readonly Related[];
  readonly hint?: string;
  readonly fixes?: readonly Fix[];
}

/** Builds a diagnostic; its severity comes from the catalogue entry of its code. */
export function diag(code: Code, message: string, at: Span, extras: DiagnosticExtras = {}): Diagnostic {
  const d: Diagnostic = {
    severity: CODES[code].severity,
    code,
    message,
    span: at,
    related: extras.related ?? [],
    ...(extras.hint !== undefined ? { hint: extras.hint } : {}),
    ...(extras.fixes !== undefined && extras.fixes.length > 0 ? { fixes: extras.fixes } : {}),
  };
  return d;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** Sorted by file, then position, then code: the order in which they are shown. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code),
  );
}

/** Drops repeats: the same code, place and message reported twice (e.g. by two models sharing a base). */
export function dedupeDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}|${d.span.file}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
