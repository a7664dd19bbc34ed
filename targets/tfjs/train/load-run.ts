/**
 * A trained model back from a run directory: its IR (ir.json) and the
 * weights of its result (the best epoch's with early_stop, else the last
 * checkpoint's), for evaluation, encoding and export.
 */
import { existsSync } from "node:fs";
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { readRunIr } from "../../../src/run/run-ir.js";
import type { BuildModel, TfModel } from "../model-api.js";
import { buildModel } from "../model/build.js";
import { restoreVariables } from "./checkpoint.js";
import { readRunResult } from "../../../src/run/checkpoint.js";
import { RUN_FILES, RunDir } from "../../../src/run/run-dir.js";

export interface LoadedRun {
  readonly ir: IrModel;
  readonly model: TfModel;
  /** The epoch whose weights these are. */
  readonly epoch: number;
}

export function loadRun(runDir: string, build: BuildModel = buildModel): LoadedRun | Diagnostic {
  const at = { file: runDir, start: 0, end: 0 };
  if (!existsSync(runDir)) return diag("AE3105", `cannot load '${runDir}': there is no such folder`, at);
  const opened = RunDir.open(runDir);
  if (!opened.ok) return opened.diagnostic;
  const run = opened.value;
  const ir = readRunIr(runDir);
  if (typeof ir === "string") return diag("AE3105", `cannot load '${runDir}': ${ir}`, at);
  const c = readRunResult(run);
  if (typeof c === "string") return diag("AE3105", `cannot load '${runDir}': ${c}`, at);
  if (c.irHash !== ir.hash) return diag("AE3105", `cannot load '${runDir}': its checkpoint was trained from another spec than its ${RUN_FILES.ir}`, at);
  const model = build(ir, new Rng(ir.train.seed, "init"));
  const mismatch = restoreVariables(model, c.weights);
  if (mismatch !== null) {
    model.dispose();
    return diag("AE3105", `cannot load '${runDir}': its checkpoint does not fit the model: ${mismatch}`, at);
  }
  return { ir, model, epoch: c.state.epoch };
}
