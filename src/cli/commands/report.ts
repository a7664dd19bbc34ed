import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Target, TargetOptions } from "../../target/target.js";
import { openRunModel } from "../open-model.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";
import { SWEEP_SUMMARY } from "../sweep-grid.js";

export interface ReportArgs {
  /** One run (its RUN/report.html), or several to compare on one page (`output`). */
  readonly runs: readonly string[];
  /** The comparison page's file; only with several runs. */
  readonly output?: string;
  /** K of the IWAE bound in the metrics table; default that of `aespec eval`. */
  readonly iwaeK?: number;
  readonly limit?: number;
  readonly verbosity: Verbosity;
}

/**
 * `aespec report RUN`: writes RUN/report.html, one self-contained page of
 * curves, pictures and metrics. The target opens the run's model (it loads
 * its engine itself, so the other commands start fast); src/report draws it.
 */
export async function reportCommand(args: ReportArgs, target: Target, options: TargetOptions, io: Io): Promise<number> {
  // Several runs, or a sweep's folder (its sweep.json): `aespec compare`.
  if (args.runs.length > 1 || args.output !== undefined || existsSync(join(args.runs[0]!, SWEEP_SUMMARY))) {
    const { compareCommand } = await import("./compare.js");
    return compareCommand(args, target, options, io);
  }
  const run = args.runs[0]!;
  const started = performance.now();
  const opened = await openRunModel(target, run, options, io);
  if ("exit" in opened) return opened.exit;
  const { port, runtime } = opened;
  const { writeReport } = await import("../../report/build-report.js");
  let r: Awaited<ReturnType<typeof writeReport>>;
  try {
    r = await writeReport(port, run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null });
  } finally {
    port.dispose();
  }
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, run, io);
  io.out(`${runtimeLines(runtime, args.verbosity)}wrote ${r.value} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return EXIT.ok;
}
