import { InvalidArgumentError } from "commander";
import type { AnomalyDataName } from "../../eval/eval-report.js";
import type { Target, TargetOptions } from "../../target/target.js";
import { openRunModel } from "../open-model.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";
import { evalTable } from "../../eval/eval-rows.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface EvalArgs {
  readonly run: string;
  readonly json: boolean;
  /** K of the IWAE bound; default DEFAULT_IWAE_SAMPLES (50). */
  readonly iwaeK?: number;
  readonly limit?: number;
  readonly verbosity: Verbosity;
  /** Score every example; the AUROC of this class as the anomaly. */
  readonly anomalyClass?: number;
  /** Score this built-in set's test split instead of the run's data (a run trained on a file has no labels). */
  readonly anomalyData?: AnomalyDataName;
}

/** Parses a class label: a whole number >= 0 (for --anomaly-class). */
export function classLabel(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a class label, a whole number >= 0");
  return n;
}

/**
 * The most importance samples --iwae-k takes: a batch's samples are held in
 * memory at once (examples x K x latent units), and the bound's estimate
 * changes little past a few thousand (Burda et al. use 5000).
 */
export const MAX_IWAE_K = 10_000;

/** Parses --iwae-k: a whole number from 1 to MAX_IWAE_K. */
export function iwaeSamples(value: string): number {
  const n = positiveInteger(value);
  if (n > MAX_IWAE_K) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_IWAE_K} (the samples of a batch are held in memory at once)`);
  return n;
}

/** Parses a whole number >= 1 (for --limit). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return n;
}

/**
 * `aespec eval RUN`: the metrics of a trained run, as a table or (--json) a
 * stable object (src/eval/eval-report.ts): the target opens the run's model (it loads
 * its engine itself, so the other commands start fast) and src/eval measures it.
 */
export async function evalCommand(args: EvalArgs, target: Target, options: TargetOptions, io: Io): Promise<number> {
  if (args.anomalyData !== undefined && args.anomalyClass === undefined) {
    io.err("error: --anomaly-data needs --anomaly-class\n");
    return EXIT.usage;
  }
  const opened = await openRunModel(target, args.run, options, io);
  if ("exit" in opened) return opened.exit;
  const { port, runtime } = opened;
  const anomaly =
    args.anomalyClass === undefined ? null : { anomalyClass: args.anomalyClass, ...(args.anomalyData !== undefined ? { data: args.anomalyData } : {}) };
  const { evaluatePort } = await import("../../eval/evaluate-run.js");
  let r: Awaited<ReturnType<typeof evaluatePort>>;
  try {
    r = await evaluatePort(port, args.run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null, anomaly });
  } finally {
    port.dispose();
  }
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  const report = r.value;
  if (args.json) io.out(JSON.stringify({ ...report, backend: runtime.name }, null, 2) + "\n");
  else io.out(runtimeLines(runtime, args.verbosity) + evalTable(report));
  return EXIT.ok;
}
