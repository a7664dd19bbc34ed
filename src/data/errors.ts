import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Code } from "../diagnostics/codes.js";

/**
 * A diagnostic about a data file. The span's offsets are byte offsets for
 * binary files and character offsets for CSV text; the message also says
 * where, because a data file is not shown as source.
 */
export function dataError(code: Code, file: string, start: number, end: number, message: string, hint?: string): Diagnostic {
  return diag(code, message, { file, start, end: Math.max(start, end) }, hint === undefined ? {} : { hint });
}

/** The reason an fs call failed, in words (no stack). */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ERR_FS_FILE_TOO_LARGE":
      return "the file is too large to read at once";
    default:
      return e?.message ?? String(err);
  }
}
