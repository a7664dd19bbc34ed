import { createColors } from "picocolors";
import type { Diagnostic, Related } from "./diagnostic.js";
import { lineCol, lineText, type SourceFile, type Span } from "./span.js";

export interface RenderOptions {
  /** ANSI colours (only when printing to a terminal that wants them). */
  readonly color?: boolean;
  /** Path shown for a file, e.g. relative to the working folder. */
  readonly displayName?: (file: string) => string;
}

type Sources = ReadonlyMap<string, SourceFile>;
type Colors = ReturnType<typeof createColors>;

/**
 * rustc-style text: `file:line:col: error AE2301: message`, the source line
 * with a caret run under the span, then each related span the same way, then
 * the hint.
 */
export function renderDiagnostic(d: Diagnostic, sources: Sources, options: RenderOptions = {}): string {
  const c = createColors(options.color ?? false);
  const name = options.displayName ?? ((f: string) => f);
  const sev = d.severity === "error" ? c.bold(c.red("error")) : c.bold(c.yellow("warning"));
  const out: string[] = [`${where(d.span, sources, name)}: ${sev} ${c.bold(d.code)}: ${c.bold(visible(d.message))}`];
  out.push(...snippet(d.span, sources, d.severity === "error" ? c.red : c.yellow, c));
  for (const r of d.related) out.push(...renderRelated(r, sources, name, c));
  if (d.hint !== undefined) out.push(`  ${c.cyan("= hint:")} ${visible(d.hint)}`);
  return out.join("\n");
}

function renderRelated(r: Related, sources: Sources, name: (f: string) => string, c: Colors): string[] {
  return [`${where(r.span, sources, name)}: ${c.cyan("note")}: ${visible(r.message)}`, ...snippet(r.span, sources, c.cyan, c)];
}

function where(s: Span, sources: Sources, name: (f: string) => string): string {
  const src = sources.get(s.file);
  if (src === undefined) return visible(name(s.file));
  const { line, col } = lineCol(src, s.start);
  return `${visible(name(s.file))}:${line}:${col}`;
}

const WINDOW = 160;

/** The span's first line with carets under it (to the line's end for a multi-line span); long lines are cut to a window around the span. */
function snippet(s: Span, sources: Sources, mark: (t: string) => string, c: Colors): string[] {
  const src = sources.get(s.file);
  if (src === undefined || src.text.length === 0) return [];
  const start = lineCol(src, Math.min(s.start, src.text.length));
  const end = lineCol(src, Math.min(Math.max(s.end, s.start), src.text.length));
  const raw = visible(expandTabs(lineText(src, start.line)));
  const from = start.col - 1; // offset of the span in the line (tabs aside)
  const to = end.line === start.line ? Math.max(end.col - 1, from + 1) : Math.max(raw.length, from + 1);
  const left = raw.length <= WINDOW || from < WINDOW / 2 ? 0 : from - WINDOW / 2;
  const right = Math.min(raw.length, left + WINDOW);
  const shown = (left > 0 ? "…" : "") + raw.slice(left, right) + (right < raw.length ? "…" : "");
  const before = from - left + (left > 0 ? 1 : 0);
  const width = Math.max(1, Math.min(to, right + 1) - from);
  const gutter = String(start.line);
  const pad = " ".repeat(gutter.length);
  const more = end.line > start.line ? c.dim(` (to line ${end.line})`) : "";
  return [`${pad} ${c.blue("|")}`, `${c.blue(gutter)} ${c.blue("|")} ${shown}`, `${pad} ${c.blue("|")} ${" ".repeat(before)}${mark("^".repeat(width))}${more}`];
}

/**
 * Text from a file or a user, made safe to print: a control character (an
 * escape sequence would drive the terminal) becomes its visible picture,
 * one character for one, so carets stay under what they mark (ESC is ␛,
 * NUL ␀, DEL ␡); C1 controls and bidirectional overrides become U+FFFD.
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return "\ufffd";
  });
}

/** A tab shown as one space keeps the carets under the characters they mark. */
function expandTabs(s: string): string {
  return s.replace(/\t/g, " ");
}

/** Rendered diagnostics separated by blank lines, then a count line ("2 errors, 1 warning"). */
export function renderDiagnostics(ds: readonly Diagnostic[], sources: Sources, options: RenderOptions = {}): string {
  return ds.map((d) => renderDiagnostic(d, sources, options)).join("\n\n");
}

export function countLine(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/** The machine-readable form of `--format json`: positions 1-based, spans also as offsets. */
export function diagnosticToJson(d: Diagnostic, sources: Sources): object {
  const pos = (s: Span) => {
    const src = sources.get(s.file);
    if (src === undefined) return { file: s.file, start: s.start, end: s.end };
    const a = lineCol(src, s.start);
    const b = lineCol(src, s.end);
    return { file: s.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col, start: s.start, end: s.end };
  };
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...pos(d.span),
    related: d.related.map((r) => ({ message: r.message, ...pos(r.span) })),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
    ...(d.fixes !== undefined ? { fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ ...pos(e.span), text: e.text })) })) } : {}),
  };
}
