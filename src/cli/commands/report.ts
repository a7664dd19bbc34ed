import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../data/write-file.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { readEpochLog } from "../../run/metrics.js";
import { RUN_FILES } from "../../run/run-dir.js";
import type { Runtime, Target, TargetOptions } from "../../target/target.js";
import { openRunModel } from "../open-model.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, displayName, type Io } from "../terminal.js";
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
  // A sweep's folder (its sweep.json) stands for its runs, in the sweep's order.
  const sweeps = args.runs.map(sweepRuns);
  const runs = args.runs.flatMap((r, i) => sweeps[i] ?? [r]);
  if (sweeps.some((s) => s !== null) || args.runs.length > 1 || args.output !== undefined) return compareCommand({ ...args, runs }, target, options, io);
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

/**
 * `aespec report RUN1 RUN2 ... -o FILE`: each run's model opened and evaluated
 * in turn (one engine model at a time), then one page of them side by side.
 */
async function compareCommand(args: ReportArgs, target: Target, options: TargetOptions, io: Io): Promise<number> {
  if (args.output === undefined || args.runs.length < 2) {
    io.err(
      args.output === undefined
        ? "error: comparing runs writes one page: give its file with -o FILE (e.g. -o compare.html)\n"
        : "error: -o names the page of a comparison of two runs or more; one run's report is RUN/report.html\n",
    );
    return EXIT.usage;
  }
  const started = performance.now();
  const { evaluatePort } = await import("../../eval/evaluate-run.js");
  const { comparisonPage } = await import("../../report/compare-report.js");
  const compared = [];
  let runtime: Runtime | null = null;
  for (const run of args.runs) {
    const opened = await openRunModel(target, run, options, io);
    if ("exit" in opened) return opened.exit;
    runtime ??= opened.runtime;
    let r: Awaited<ReturnType<typeof evaluatePort>>;
    try {
      r = await evaluatePort(opened.port, run, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null });
    } finally {
      opened.port.dispose();
    }
    if (!r.ok) return reportRunDiagnostic(r.diagnostic, run, io);
    compared.push({ name: run, ir: opened.port.ir, epochs: readEpochLog(join(run, RUN_FILES.metrics))?.epochs ?? [], report: r.value });
  }
  const written = writeFileAtomic(args.output, await comparisonPage(compared), "AE3302", { inputs: args.runs });
  if (!written.ok) {
    io.err(renderDiagnostics([written.diagnostic], new Map(), { color: io.color, displayName }) + "\n");
    return EXIT.errors;
  }
  io.out(
    `${runtimeLines(runtime!, args.verbosity)}wrote ${args.output}, ${args.runs.length} runs compared, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return EXIT.ok;
}

/** The run folders of a sweep's folder, from its sweep.json; null when `dir` is no sweep. */
function sweepRuns(dir: string): string[] | null {
  const file = join(dir, SWEEP_SUMMARY);
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as { runs?: { name?: unknown }[] };
    const names = (s.runs ?? []).map((r) => r.name).filter((n): n is string => typeof n === "string");
    return names.map((n) => join(dir, n)).filter((r) => existsSync(join(r, RUN_FILES.ir)));
  } catch {
    return null;
  }
}
