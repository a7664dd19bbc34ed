/** Evaluation of trained runs (`aespec eval`), loaded by the CLI with a dynamic import. */
export { evaluateRun, DEFAULT_IWAE_SAMPLES, PROBE_TRAIN_EXAMPLES, type EvalOptions } from "./evaluate-run.js";
export type { EvalReport } from "./eval-report.js";
export { loadRunForEval } from "./load-for-eval.js";
