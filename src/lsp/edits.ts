import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit } from "vscode-languageserver";
import { format } from "../syntax/format.js";
import type { Analysis } from "./analysis.js";
import type { DiagnosticData } from "./diagnostics.js";
import { positionOf, rangeOf } from "./positions.js";

/** Formatting: the whole text as `aespec fmt` prints it, as one edit; none when the text does not parse or is already formatted. */
export function formatting(a: Analysis): TextEdit[] {
  const { text } = format(a.source);
  if (text === null || text === a.source.text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: positionOf(a.source, a.source.text.length) }, newText: text }];
}

/**
 * Quick fixes: the fixes the checker stated with its diagnostics (a did-you-mean
 * replacement, a missing flatten), for the diagnostics in the editor's request.
 */
export function codeActions(a: Analysis, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const data = d.data as DiagnosticData | undefined;
    return (data?.fixes ?? []).map((fix, i): CodeAction => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: i === 0,
      edit: { changes: { [a.uri]: fix.edits.map((e) => ({ range: rangeOf(a.source, e.span), newText: e.text })) } },
    }));
  });
}
