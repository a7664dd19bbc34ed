/**
 * A trained run opened for evaluation: loadRun's model, with every way of
 * failing turned into one located diagnostic (AE3301), never an exception.
 */
import { diag } from "../../../src/diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../../../src/data/result.js";
import type { BuildModel } from "../model-api.js";
import { buildModel } from "../model/build.js";
import { loadRun, type LoadedRun } from "../train/load-run.js";
import { readRunIr } from "../../../src/run/run-ir.js";
import { notAFolder } from "../../../src/run/run-path.js";

const HINT = "give the folder `aespec train --out` wrote";

export function loadRunForEval(runDir: string, build: BuildModel = buildModel): Result<LoadedRun> {
  const at = { file: runDir, start: 0, end: 0 };
  const refuse = (why: string) => fail<LoadedRun>(diag("AE3301", `cannot evaluate '${runDir}': ${why}`, at, { hint: HINT }));
  const notRun = notAFolder(runDir);
  if (notRun !== null) return refuse(notRun);
  const ir = readRunIr(runDir);
  if (typeof ir === "string") return refuse(ir);
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
