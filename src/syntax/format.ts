import type { SourceFile } from "../diagnostics/span.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "./parse.js";
import { printFile } from "./printer.js";

/**
 * `aespec fmt`: the canonical text of a source file, or null when it has
 * syntax errors (a file that does not parse is never rewritten).
 */
export function format(source: SourceFile): { text: string | null; diagnostics: readonly Diagnostic[] } {
  const { file, diagnostics } = parse(source);
  if (hasErrors(diagnostics)) return { text: null, diagnostics };
  return { text: printFile(file, source), diagnostics };
}
