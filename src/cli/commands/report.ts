import type { BackendName } from "../../../targets/tfjs/backend.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface ReportArgs {
  readonly run: string;
  /** K of the IWAE bound in the metrics table; default that of `aespec eval`. */
  readonly iwaeK?: number;
  readonly limit?: number;
  readonly backend?: BackendName;
}

/**
 * `aespec report RUN`: writes RUN/report.html, one self-contained page of
 * curves, pictures and metrics (targets/tfjs/report/). TensorFlow.js and
 * Vega are loaded here only, by dynamic imports, so other commands start fast.
 */
export async function reportCommand(args: ReportArgs, io: Io): Promise<number> {
  const started = performance.now();
  const tfjs = await import("../../../targets/tfjs/index.js");
  const backend = await tfjs.selectBackend(args.backend);
  if (backend.error !== null) {
    io.err(`error: ${backend.error}\n`);
    return EXIT.errors;
  }
  const { writeReport } = await import("../../../targets/tfjs/report/index.js");
  const r = await writeReport(args.run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null });
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  io.out(`backend: ${backend.name}: ${backend.detail}\nwrote ${r.value} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return EXIT.ok;
}
