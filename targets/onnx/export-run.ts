/**
 * `exportRun`: a trained run directory to the bytes of an ONNX model, and
 * the atomic write of those bytes.
 */
import { diag } from "../../src/diagnostics/diagnostic.js";
import { fail, type Result } from "../../src/data/result.js";
import { writeFileAtomic } from "../../src/data/write-file.js";
import { exportModel, type Part } from "./export-model.js";
import { readRunWeights, type RunWeights } from "./run-weights.js";
import { WeightMismatch } from "./weights.js";

export function exportRun(runDir: string, part: Part): Result<Uint8Array> {
  const run = readRunWeights(runDir);
  return run.ok ? exportRead(run.value, runDir, part) : run;
}

/** exportRun on a run already read (readRunWeights). */
export function exportRead(run: RunWeights, runDir: string, part: Part): Result<Uint8Array> {
  try {
    return exportModel(run.ir, run.weights, part);
  } catch (e) {
    if (!(e instanceof WeightMismatch)) throw e;
    return fail(diag("AE3202", `cannot export '${runDir}': its checkpoint does not fit its model: ${e.message}`, { file: runDir, start: 0, end: 0 }));
  }
}

/** Writes an ONNX model atomically (see writeFileAtomic); the folder must exist. */
export function writeModelFile(file: string, bytes: Uint8Array): Result<void> {
  return writeFileAtomic(file, bytes, "AE3203");
}
