/**
 * `aespec eval` on the tfjs target: the run's model built and loaded, put
 * behind the evaluation port, and measured by the target-neutral evaluation
 * (src/eval/evaluate-run.ts).
 */
import type { Result } from "../../../src/data/result.js";
import type { EvalReport } from "../../../src/eval/eval-report.js";
import { evaluatePort, type EvalOptions } from "../../../src/eval/evaluate-run.js";
import type { ModelPort } from "../../../src/eval/model-port.js";
import type { BuildModel } from "../model-api.js";
import { loadRunForEval } from "./load-for-eval.js";
import { tfjsPort } from "./tfjs-port.js";

export { DEFAULT_IWAE_SAMPLES, PROBE_TRAIN_EXAMPLES, type EvalOptions } from "../../../src/eval/evaluate-run.js";

/** The run's trained model behind the evaluation port (the caller disposes it), or AE3301. */
export function openRunPort(runDir: string, build?: BuildModel): Result<ModelPort> {
  const loaded = loadRunForEval(runDir, build);
  return loaded.ok ? { ok: true, value: tfjsPort(loaded.value.model, loaded.value.epoch) } : loaded;
}

export async function evaluateRun(runDir: string, opts: EvalOptions & { readonly buildModel?: BuildModel } = {}): Promise<Result<EvalReport>> {
  const port = openRunPort(runDir, opts.buildModel);
  if (!port.ok) return port;
  try {
    return await evaluatePort(port.value, runDir, opts);
  } finally {
    port.value.dispose();
  }
}
