import { relative, isAbsolute } from "node:path";
import type { Compilation } from "../compile.js";
import { countLine, diagnosticToJson, renderDiagnostics } from "../diagnostics/render.js";

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const;

/** Where a command writes; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal that wants colour. */
  readonly color: boolean;
}

export function processIo(): Io {
  const wantsColor = (s: NodeJS.WriteStream) => s.isTTY === true && process.env["NO_COLOR"] === undefined && process.env["TERM"] !== "dumb";
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    color: process.env["FORCE_COLOR"] !== undefined || wantsColor(process.stderr),
  };
}

/** Paths as the user would type them: relative to the working folder when inside it. */
export function displayName(file: string): string {
  if (file.startsWith("<")) return file;
  const rel = relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

/** Prints a compilation's diagnostics to stderr, rustc style. */
export function reportText(c: Compilation, io: Io): void {
  if (c.diagnostics.length === 0) return;
  io.err(renderDiagnostics(c.diagnostics, c.sources, { color: io.color, displayName }) + "\n\n");
}

export function diagnosticsJson(c: Compilation): object[] {
  return c.diagnostics.map((d) => diagnosticToJson(d, c.sources));
}

export function summaryLine(name: string, c: Compilation): string {
  if (c.diagnostics.length === 0) {
    const n = c.models.length;
    return `${displayName(name)}: ok (${n} model${n === 1 ? "" : "s"}: ${c.models.map((m) => m.name).join(", ")})`;
  }
  return `${displayName(name)}: ${countLine(c.diagnostics)}`;
}
