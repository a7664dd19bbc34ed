import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from "vscode-languageserver";
import type { Fix } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import type { Analysis } from "./analysis.js";
import { rangeOf } from "./positions.js";

/** What a published diagnostic carries for the code actions (`data` comes back with them). */
export interface DiagnosticData {
  readonly fixes: readonly Fix[];
}

/**
 * The checker's diagnostics as LSP diagnostics of one document. A diagnostic
 * located in another file (a data file's header) is shown at its first place
 * in this document, with its own place as related information; one with no
 * place in this document is shown at the top of the file. The hint follows
 * the message on a line of its own, as the command line prints it.
 */
export function lspDiagnostics(a: Analysis): LspDiagnostic[] {
  return a.diagnostics.map((d) => {
    const here = d.span.file === a.fileName ? d.span : (d.related.find((r) => r.span.file === a.fileName)?.span ?? { file: a.fileName, start: 0, end: 0 });
    const related: DiagnosticRelatedInformation[] = [];
    if (here !== d.span) related.push(relatedInfo(a, d.span, d.message));
    for (const r of d.related) if (r.span !== here) related.push(relatedInfo(a, r.span, r.message));
    const data: DiagnosticData = { fixes: d.fixes ?? [] };
    return {
      range: rangeOf(a.source, here),
      severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: "aespec",
      message: d.hint !== undefined ? `${d.message}\nhint: ${d.hint}` : d.message,
      ...(related.length > 0 ? { relatedInformation: related } : {}),
      data,
    };
  });
}

function relatedInfo(a: Analysis, span: Span, message: string): DiagnosticRelatedInformation {
  const other: SourceFile | undefined = a.compilation.sources.get(span.file);
  const src = span.file === a.fileName ? a.source : other;
  const uri = span.file === a.fileName ? a.uri : span.file.startsWith("<") ? a.uri : pathToFileURL(span.file).href;
  const range = src !== undefined ? rangeOf(src, span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { location: { uri, range }, message };
}
