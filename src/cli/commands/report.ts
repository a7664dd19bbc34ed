import type { Target, TargetOptions } from "../../target/target.js";
import { openRunModel } from "../open-model.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface ReportArgs {
  readonly run: string;
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
  const started = performance.now();
  const opened = await openRunModel(target, args.run, options, io);
  if ("exit" in opened) return opened.exit;
  const { port, runtime } = opened;
  const { writeReport } = await import("../../report/build-report.js");
  let r: Awaited<ReturnType<typeof writeReport>>;
  try {
    r = await writeReport(port, args.run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null });
  } finally {
    port.dispose();
  }
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  io.out(`${runtimeLines(runtime, args.verbosity)}wrote ${r.value} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return EXIT.ok;
}
