/**
 * A trained run opened for evaluation: loadRun's model, with every way of
 * failing turned into one located diagnostic (AE3301), never an exception.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { diag } from "../../../src/diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../../../src/data/result.js";
import type { BuildModel } from "../model-api.js";
import { buildModel } from "../model/build.js";
import { loadRun, type LoadedRun } from "../train/load-run.js";
import { RUN_FILES } from "../train/run-dir.js";

const HINT = "give the folder `aespec train --out` wrote";

export function loadRunForEval(runDir: string, build: BuildModel = buildModel): Result<LoadedRun> {
  const at = { file: runDir, start: 0, end: 0 };
  const refuse = (why: string) => fail<LoadedRun>(diag("AE3301", `cannot evaluate '${runDir}': ${why}`, at, { hint: HINT }));
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) return refuse("there is no such folder");
  const irFile = join(runDir, RUN_FILES.ir);
  let ir: unknown;
  try {
    ir = JSON.parse(readFileSync(irFile, "utf8"));
  } catch (e) {
    return refuse(`it is not a run directory: cannot read its ${RUN_FILES.ir}: ${(e as Error).message}`);
  }
  if (ir === null || typeof ir !== "object" || (ir as { kind?: unknown }).kind !== "Model") return refuse(`its ${RUN_FILES.ir} holds no model`);
  let loaded: ReturnType<typeof loadRun>;
  try {
    loaded = loadRun(runDir, build);
  } catch (e) {
    // The model builder refuses what it cannot run (e.g. a bottleneck not supported yet).
    return refuse((e as Error).message);
  }
  if ("code" in loaded) return refuse(loaded.message.replace(/^cannot load '[^']*': /, ""));
  return ok(loaded);
}
