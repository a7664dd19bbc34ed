import { isUnavailable, type Target, type TargetOptions } from "../../target/target.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface ReportArgs {
  readonly run: string;
  /** K of the IWAE bound in the metrics table; default that of `aespec eval`. */
  readonly iwaeK?: number;
  readonly limit?: number;
}

/**
 * `aespec report RUN`: writes RUN/report.html, one self-contained page of
 * curves, pictures and metrics, drawn by the target (it loads its engine and
 * Vega itself, so the other commands start fast).
 */
export async function reportCommand(args: ReportArgs, target: Target, options: TargetOptions, io: Io): Promise<number> {
  const started = performance.now();
  const report = target.report;
  if (report === undefined) throw new Error(`internal: target '${target.name}' draws no report`);
  const r = await report(args.run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null, options });
  if (isUnavailable(r)) {
    io.err(`error: ${r.unavailable}\n`);
    return EXIT.errors;
  }
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  io.out(`backend: ${r.value.runtime.name}: ${r.value.runtime.detail}\nwrote ${r.value.file} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return EXIT.ok;
}
