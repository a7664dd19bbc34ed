/** Evaluation of trained runs (`aespec eval`) on the tfjs target, loaded by the target's module with a dynamic import. */
export { evaluateRun, openRunPort, DEFAULT_IWAE_SAMPLES, PROBE_TRAIN_EXAMPLES, type EvalOptions } from "./evaluate-run.js";
export type { EvalReport } from "./eval-report.js";
export { loadRunForEval } from "./load-for-eval.js";
export { tfjsPort } from "./tfjs-port.js";
