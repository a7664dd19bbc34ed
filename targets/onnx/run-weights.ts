/**
 * A trained run's IR and weights, read as plain typed arrays (no tfjs),
 * through the run contract's one reader (src/run): ir.json checked, and the
 * run's result (best/ with early stopping, else checkpoint/), every file
 * checked against its checksum, its tensors against the IR's parameter table.
 */
import { diag } from "../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../src/ir/model.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import { readRunResult } from "../../src/run/checkpoint.js";
import { tensorsMismatch } from "../../src/run/checkpoint-tensors.js";
import { RunDir } from "../../src/run/run-dir.js";
import { readRunIr } from "../../src/run/run-ir.js";
import { notAFolder } from "../../src/run/run-path.js";
import type { WeightTensor, Weights } from "./weights.js";

export interface RunWeights {
  readonly ir: IrModel;
  readonly weights: Weights;
  /** The epoch whose weights these are (the run's result: best/ with early stopping, else the last). */
  readonly epoch: number;
}

export function readRunWeights(runDir: string): Result<RunWeights> {
  const at = { file: runDir, start: 0, end: 0 };
  const refuse = (why: string) =>
    fail<RunWeights>(diag("AE3202", `cannot export '${runDir}': ${why}`, at, { hint: "give the folder `aespec train --out` wrote" }));
  const notRun = notAFolder(runDir);
  if (notRun !== null) return refuse(notRun);
  const ir = readRunIr(runDir);
  if (typeof ir === "string") return refuse(ir);
  const opened = RunDir.open(runDir);
  if (!opened.ok) return refuse("it cannot be opened");
  const c = readRunResult(opened.value);
  if (typeof c === "string") return refuse(c);
  if (c.irHash !== ir.hash) return refuse("its checkpoint was trained from another spec than its ir.json");
  const misfit = tensorsMismatch(ir, c.weights);
  if (misfit !== null) return refuse(`its checkpoint does not fit its model: ${misfit}`);
  const weights = new Map<string, WeightTensor>();
  for (const t of c.weights) weights.set(t.name, { shape: t.shape, values: t.values as Float32Array });
  return ok({ ir, weights, epoch: c.state.epoch });
}
