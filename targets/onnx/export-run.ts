/**
 * `exportRun`: a trained run directory to the bytes of an ONNX model, and
 * the atomic write of those bytes.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { diag } from "../../src/diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import { exportModel, type Part } from "./export-model.js";
import { readRunWeights } from "./run-weights.js";
import { WeightMismatch } from "./weights.js";

export function exportRun(runDir: string, part: Part): Result<Uint8Array> {
  const run = readRunWeights(runDir);
  if (!run.ok) return run;
  try {
    return exportModel(run.value.ir, run.value.weights, part);
  } catch (e) {
    if (!(e instanceof WeightMismatch)) throw e;
    return fail(diag("AE3202", `cannot export '${runDir}': its checkpoint does not fit its model: ${e.message}`, { file: runDir, start: 0, end: 0 }));
  }
}

/**
 * Writes `bytes` to `file` through a temporary file in the same folder and a
 * rename, so a reader never sees half a model. The folder must exist: a
 * mistyped path is refused rather than created.
 */
export function writeModelFile(file: string, bytes: Uint8Array): Result<void> {
  const at = { file, start: 0, end: 0 };
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return fail(diag("AE3203", `cannot write '${file}': the folder '${dirname(file)}' does not exist`, at, { hint: "create the folder first, or give another path" }));
  }
  if (existsSync(file) && statSync(file).isDirectory()) return fail(diag("AE3203", `cannot write '${file}': it is a folder`, at));
  const tmp = join(folder, `.${basename(file)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, bytes, { flag: "wx" });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    return fail(diag("AE3203", `cannot write '${file}': ${(e as Error).message}`, at));
  }
  return ok(undefined);
}
