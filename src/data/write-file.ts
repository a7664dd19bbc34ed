import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Code } from "../diagnostics/codes.js";
import { diag } from "../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "./result.js";

/**
 * Writes a file through a temporary file in the same folder and a rename, so
 * a reader never sees half of it. The folder must exist: a mistyped path is
 * refused rather than created. Failures are diagnostics under `code`.
 */
export function writeFileAtomic(file: string, contents: Uint8Array | string, code: Code): Result<void> {
  const at = { file, start: 0, end: 0 };
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return fail(diag(code, `cannot write '${file}': the folder '${dirname(file)}' does not exist`, at, { hint: "create the folder first, or give another path" }));
  }
  if (existsSync(file) && statSync(file).isDirectory()) return fail(diag(code, `cannot write '${file}': it is a folder`, at));
  const tmp = join(folder, `.${basename(file)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, contents, { flag: "wx" });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    return fail(diag(code, `cannot write '${file}': ${(e as Error).message}`, at));
  }
  return ok(undefined);
}
