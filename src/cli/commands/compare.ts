import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../data/write-file.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { EvalReport } from "../../eval/eval-report.js";
import { readEpochLog } from "../../run/metrics.js";
import { RUN_FILES } from "../../run/run-dir.js";
import { readRunIr } from "../../run/run-ir.js";
import { overridesOf } from "../../run/spec-as-trained.js";
import type { Runtime, Target, TargetOptions } from "../../target/target.js";
import { openRunModel } from "../open-model.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { readSweepSummary, SWEEP_SUMMARY, trainingId } from "../sweep-grid.js";
import { EXIT, displayName, type Io } from "../terminal.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";

export interface CompareArgs {
  /** Run folders and sweep folders (a sweep stands for its runs). */
  readonly runs: readonly string[];
  /** The page to write. */
  readonly output?: string;
  /** Print the comparison's object (src/report/comparison.ts) on stdout. */
  readonly json?: boolean;
  /** The metrics to plot against the swept values (all the runs share when none). */
  readonly metric?: readonly string[];
  readonly iwaeK?: number;
  readonly limit?: number;
  readonly verbosity: Verbosity;
}

/** A run to compare: its folder, its values, and the eval a sweep already made of it (with the same options). */
interface RunRef {
  readonly dir: string;
  readonly values: Readonly<Record<string, string>> | null;
  readonly eval: EvalReport | null;
}

/**
 * `aespec compare RUN_OR_SWEEP... [-o FILE] [--json]`: each run evaluated in
 * turn (one engine model at a time; a sweep's `--eval` results are taken as
 * they are when made of the run's training as it is now, with the same
 * options), then one page of them side by side, and/or their comparison as
 * JSON.
 */
export async function compareCommand(args: CompareArgs, target: Target, options: TargetOptions, io: Io): Promise<number> {
  if (args.output === undefined && args.json !== true)
    return usage(io, "a comparison writes a page (-o FILE, e.g. -o compare.html) or prints JSON (--json): give one");
  const refs = args.runs.flatMap((r) => sweepRuns(r, args) ?? [{ dir: r, values: null, eval: null }]);
  if (refs.length < 2) return usage(io, "a comparison needs two runs or more (or a sweep's folder); one run's report is RUN/report.html");
  const started = performance.now();
  const { evaluatePort } = await import("../../eval/evaluate-run.js");
  const { compareRuns } = await import("../../report/comparison.js");
  const compared = [];
  let reused = 0;
  let runtime: Runtime | null = null;
  for (const ref of refs) {
    const epochs = readEpochLog(join(ref.dir, RUN_FILES.metrics))?.epochs ?? [];
    let ir = readRunIr(ref.dir);
    let report = ref.eval;
    if (report === null || typeof ir === "string") {
      const opened = await openRunModel(target, ref.dir, options, io);
      if ("exit" in opened) return opened.exit;
      runtime ??= opened.runtime;
      ir = opened.port.ir;
      let r: Awaited<ReturnType<typeof evaluatePort>>;
      try {
        r = await evaluatePort(opened.port, ref.dir, { ...(args.iwaeK !== undefined ? { iwaeSamples: args.iwaeK } : {}), limit: args.limit ?? null });
      } finally {
        opened.port.dispose();
      }
      if (!r.ok) return reportRunDiagnostic(r.diagnostic, ref.dir, io);
      report = r.value;
    } else reused++;
    compared.push({ name: ref.dir, ir, epochs, report, values: { ...(ref.values ?? valuesOfRun(ref.dir)), seed: String(ir.train.seed) } });
  }
  const comparison = compareRuns(compared);
  const plotted = args.metric ?? [];
  const known = new Set(comparison.runs.flatMap((r) => Object.keys(r.metrics)));
  const unknown = plotted.filter((m) => !known.has(m));
  if (unknown.length > 0) return usage(io, `no run has the metric ${unknown.map((m) => `'${m}'`).join(", ")}; they have: ${[...known].join(", ")}`);
  if (args.output !== undefined) {
    const { comparisonPage } = await import("../../report/compare-report.js");
    const page = await comparisonPage(compared, comparison, plotted.length > 0 ? plotted : null);
    const written = writeFileAtomic(args.output, page, "AE3302", { inputs: refs.map((r) => r.dir) });
    if (!written.ok) {
      io.err(renderDiagnostics([written.diagnostic], new Map(), { color: io.color, displayName }) + "\n");
      return EXIT.errors;
    }
  }
  if (args.json === true) io.out(JSON.stringify(comparison, null, 2) + "\n");
  else {
    io.out(
      `${runtime === null ? "" : runtimeLines(runtime, args.verbosity)}wrote ${args.output}, ${refs.length} runs compared` +
        `${reused > 0 ? ` (${reused} evaluated by their sweep)` : ""}, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  return EXIT.ok;
}

function usage(io: Io, message: string): number {
  io.err(`error: ${message}\n`);
  return EXIT.usage;
}

/**
 * The runs of a sweep's folder, from its sweep.json, with their values and
 * the evaluations its `--eval` made with these options; null when `dir` is no sweep.
 */
function sweepRuns(dir: string, args: CompareArgs): RunRef[] | null {
  const s = readSweepSummary(join(dir, SWEEP_SUMMARY));
  if (s === null) return null;
  const sameEval =
    s.evalOptions !== undefined && s.evalOptions !== null && s.evalOptions.iwaeK === (args.iwaeK ?? null) && s.evalOptions.limit === (args.limit ?? null);
  return (s.runs ?? [])
    .filter((r) => typeof r.name === "string" && existsSync(join(dir, r.name, RUN_FILES.ir)))
    .map((r) => {
      const run = join(dir, r.name);
      const current = sameEval && r.evalOf !== undefined && r.evalOf === trainingId(run);
      return { dir: run, values: r.values ?? null, eval: current ? (r.eval ?? null) : null };
    });
}

/** A run trained alone: its `--set` overrides (from its spec.aespec) as values by path. */
function valuesOfRun(dir: string): Record<string, string> {
  const file = join(dir, RUN_FILES.spec);
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const o of overridesOf(readFileSync(file, "utf8"))) {
    const eq = o.indexOf("=");
    if (eq > 0) out[o.slice(0, eq) === "train.seed" ? "seed" : o.slice(0, eq)] = o.slice(eq + 1);
  }
  return out;
}
