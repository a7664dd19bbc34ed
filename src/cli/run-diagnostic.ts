import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import { sourceFile, type SourceFile } from "../diagnostics/span.js";
import { EXIT, displayName, type Io } from "./terminal.js";

/**
 * Prints a diagnostic about a trained run, showing the source line from the
 * spec as trained (RUN/spec.aespec: the spec's text at its original offsets)
 * when the diagnostic points into the spec. Returns the error exit code.
 */
export function reportRunDiagnostic(d: Diagnostic, run: string, io: Io): number {
  const sources = new Map<string, SourceFile>();
  const spec = join(run, "spec.aespec");
  if (existsSync(spec) && statSync(spec).isFile()) sources.set(d.span.file, sourceFile(d.span.file, readFileSync(spec, "utf8")));
  io.err(renderDiagnostics([d], d.span.end > 0 ? sources : new Map(), { color: io.color, displayName }) + "\n");
  return EXIT.errors;
}
