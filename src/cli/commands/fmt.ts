import { readSpecFile } from "../../compile.js";
import { writeFileAtomic } from "../../data/write-file.js";
import { sourceFile } from "../../diagnostics/span.js";
import { format } from "../../syntax/format.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface FmtArgs {
  readonly files: readonly string[];
  readonly check: boolean;
  readonly write: boolean;
}

/**
 * `aespec fmt FILE...`: prints the canonical form; `--check` lists files that
 * would change (exit 1); `--write` rewrites them in place (temporary file, then rename).
 * A file with syntax errors is never rewritten.
 */
export function fmtCommand(args: FmtArgs, io: Io): number {
  let status: number = EXIT.ok;
  for (const file of args.files) {
    const text = readSpecFile(file);
    if (typeof text !== "string") {
      io.err(renderDiagnostics([text], new Map(), { color: io.color, displayName }) + "\n");
      status = EXIT.errors;
      continue;
    }
    const source = sourceFile(file, text);
    const result = format(source);
    if (result.text === null) {
      io.err(renderDiagnostics(result.diagnostics, new Map([[file, source]]), { color: io.color, displayName }) + "\n\n");
      status = EXIT.errors;
      continue;
    }
    const changed = result.text !== text;
    if (args.check) {
      if (changed) {
        io.out(`would reformat ${displayName(file)}\n`);
        status = EXIT.errors;
      }
    } else if (args.write) {
      if (changed) {
        const written = writeFileAtomic(file, result.text, "AE3205");
        if (!written.ok) {
          io.err(renderDiagnostics([written.diagnostic], new Map(), { color: io.color, displayName }) + "\n");
          status = EXIT.errors;
          continue;
        }
        io.out(`formatted ${displayName(file)}\n`);
      }
    } else {
      io.out(result.text);
    }
  }
  return status;
}
