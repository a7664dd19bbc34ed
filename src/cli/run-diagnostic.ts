import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import { sourceFile, type SourceFile } from "../diagnostics/span.js";
import { EXIT, displayName, type Io } from "./terminal.js";

/**
 * Prints a diagnostic about a trained run, showing the source line from the
 * spec as trained (RUN/spec.aespec: the spec's text at its original offsets)
 * where a span points into the spec: into the file its ir.json names. A span
 * in any other file (a data file) is shown by its name only; its message says
 * where in it. Returns the error exit code.
 */
export function reportRunDiagnostic(d: Diagnostic, run: string, io: Io): number {
  const sources = new Map<string, SourceFile>();
  const spec = join(run, "spec.aespec");
  const specName = specFileOf(run);
  if (specName !== null && existsSync(spec) && statSync(spec).isFile()) sources.set(specName, sourceFile(specName, readFileSync(spec, "utf8")));
  io.err(renderDiagnostics([d], sources, { color: io.color, displayName }) + "\n");
  return EXIT.errors;
}

/** The file the run's spec was read from, as its ir.json records it; null when that cannot be read. */
function specFileOf(run: string): string | null {
  try {
    const ir = JSON.parse(readFileSync(join(run, "ir.json"), "utf8")) as { span?: { file?: unknown } } | null;
    const file = ir?.span?.file;
    return typeof file === "string" && file !== "" ? file : null;
  } catch {
    return null;
  }
}
