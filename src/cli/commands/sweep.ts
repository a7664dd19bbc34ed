import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../../data/write-file.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { readEpochLog, type EpochMetrics } from "../../run/metrics.js";
import { RUN_FILES } from "../../run/run-dir.js";
import { compileOneModel } from "../pick-model.js";
import type { EvalReport } from "../../eval/eval-report.js";
import { parseAxis, SWEEP_SUMMARY, sweepPoints, type SweepAxis, type SweepPoint, type SweepSummary, readSweepSummary, trainingId } from "../sweep-grid.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface SweepArgs {
  readonly file: string;
  readonly model?: string;
  /** `PATH=V1,V2,...`, one axis each. */
  readonly set: readonly string[];
  /** Seeds per point: the spec's seed and the next seeds - 1; null: the spec's seed only, not in the names. */
  readonly seeds: number | null;
  readonly jobs: number;
  readonly out: string;
  /** Arguments passed to every `aespec train` (`--target`, `--backend`, ...). */
  readonly trainArgs: readonly string[];
  /** Evaluate every run once trained (`aespec eval --json`, with the train arguments' --target and --backend), into sweep.json. */
  readonly eval?: boolean;
  readonly iwaeK?: number;
  readonly limit?: number;
}

/** The command line's entry script, which each point's `aespec train` runs. */
const CLI = fileURLToPath(new URL("../../../../bin/aespec.js", import.meta.url));

/**
 * `aespec sweep FILE --set PATH=V1,V2 ... [--seeds N] [--jobs N] --out DIR`:
 * trains every combination of the values (each with every seed) as its own
 * run, DIR/NAME, `--jobs` at a time, each an `aespec train` process. Every
 * point is checked before anything trains. Started again, a sweep trains only
 * what is missing: a finished run is left as it is, an interrupted one resumes
 * from its checkpoint. DIR/sweep.json then lists every run with its final and
 * best epoch, and with --eval its `aespec eval --json` (an evaluation of the
 * same epoch with the same options is kept from the sweep.json before).
 */
export async function sweepCommand(args: SweepArgs, io: Io): Promise<number> {
  const axes: SweepAxis[] = [];
  for (const s of args.set) {
    const a = parseAxis(s);
    if (typeof a === "string") return usage(io, a);
    axes.push(a);
  }
  if (args.seeds !== null && axes.some((a) => a.path === "train.seed"))
    return usage(io, "--seeds and --set train.seed=... both choose seeds: give one of them");
  if (axes.length === 0 && args.seeds === null) return usage(io, "nothing to sweep: give --set PATH=V1,V2,... or --seeds N");
  // The spec as written, for its seed (the first of --seeds) and to check it at all.
  const base = compileOneModel(args.file, { set: [], ...(args.model !== undefined ? { model: args.model } : {}) }, io);
  if ("exit" in base) return base.exit;
  const seeds = args.seeds === null ? null : Array.from({ length: args.seeds }, (_, i) => base.model.train.seed + i);
  const points = sweepPoints(axes, seeds);
  const names = new Set(points.map((p) => p.name));
  if (names.size !== points.length) return usage(io, "two points of the sweep would share a folder name: give values that differ in letters or digits");
  // Every point checks before anything trains.
  for (const p of points) {
    const c = compileOneModel(args.file, { set: p.overrides, model: base.model.name }, io);
    if ("exit" in c) {
      io.err(`the sweep's point ${p.name} does not check; nothing was trained\n`);
      return c.exit;
    }
  }
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, SWEEP_SUMMARY);
  const evalOptions = args.eval === true ? { iwaeK: args.iwaeK ?? null, limit: args.limit ?? null } : null;
  const before = evalOptions === null ? new Map<string, { eval: EvalReport; of: string }>() : earlierEvals(file, evalOptions);
  const summary = new Map<string, SweepSummary["runs"][number]>();
  let next = 0;
  const worker = async () => {
    while (next < points.length) {
      const p = points[next++]!;
      const code = await trainPoint(args, base.model.name, p, io);
      const s = pointSummary(args.out, p, code);
      const of = trainingId(join(args.out, p.name));
      const kept = before.get(p.name);
      const evaluated = evalOptions === null ? undefined : code !== 0 ? null : kept?.of === of ? kept.eval : await evalPoint(args, p, io);
      summary.set(p.name, evaluated === undefined ? s : { ...s, eval: evaluated, ...(evaluated !== null && of !== null ? { evalOf: of } : {}) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.jobs, points.length) }, worker));
  const runs = points.map((p) => summary.get(p.name)!);
  const whole: SweepSummary = { spec: args.file, model: base.model.name, axes, seeds, evalOptions, runs };
  const written = writeFileAtomic(file, JSON.stringify(whole, null, 2) + "\n", "AE3205");
  if (!written.ok) {
    io.err(renderDiagnostics([written.diagnostic], new Map(), { color: io.color, displayName }) + "\n");
    return EXIT.errors;
  }
  const failed = runs.filter((s) => s.exitCode !== 0 || s.eval === null);
  io.out(
    `${points.length - failed.length} of ${points.length} runs trained${evalOptions === null ? "" : " and evaluated"}; the sweep is in ${displayName(args.out)} (${SWEEP_SUMMARY})\n`,
  );
  for (const f of failed) io.out(`  failed: ${f.name} (${f.exitCode !== 0 ? `exit ${f.exitCode}` : "its eval failed"})\n`);
  return failed.length > 0 ? EXIT.errors : EXIT.ok;
}

function usage(io: Io, message: string): number {
  io.err(`error: ${message}\n`);
  return EXIT.usage;
}

/** Trains one point as an `aespec train` process (resuming its run when it has a checkpoint); its exit code. */
async function trainPoint(args: SweepArgs, model: string, p: SweepPoint, io: Io): Promise<number> {
  const dir = join(args.out, p.name);
  const resume = existsSync(join(dir, RUN_FILES.checkpoint));
  const argv = [
    "train",
    args.file,
    "--model",
    model,
    ...p.overrides.flatMap((o) => ["--set", o]),
    "--out",
    dir,
    "--quiet",
    ...(resume ? ["--resume"] : []),
    ...args.trainArgs,
  ];
  io.out(`${resume ? "resuming" : "training"} ${p.name}\n`);
  const r = await runCli(argv);
  if (r.code !== 0) io.err(`${p.name}:\n${r.err}`);
  return r.code;
}

/** A child `aespec` process's exit code and output. */
function runCli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => done({ code: code ?? 1, out, err }));
  });
}

/** The --target and --backend of the train arguments (what eval opens the run with). */
function targetArgs(trainArgs: readonly string[]): string[] {
  const out: string[] = [];
  trainArgs.forEach((a, i) => {
    if (a === "--target" || a === "--backend") out.push(a, trainArgs[i + 1] ?? "");
    else if (a.startsWith("--target=") || a.startsWith("--backend=")) out.push(a);
  });
  return out;
}

/** `aespec eval RUN --json` of a trained point; null (and why, on stderr) when it fails. */
async function evalPoint(args: SweepArgs, p: SweepPoint, io: Io): Promise<EvalReport | null> {
  const dir = join(args.out, p.name);
  const options = [...(args.iwaeK !== undefined ? ["--iwae-k", String(args.iwaeK)] : []), ...(args.limit !== undefined ? ["--limit", String(args.limit)] : [])];
  io.out(`evaluating ${p.name}\n`);
  const r = await runCli(["eval", dir, "--json", ...options, ...targetArgs(args.trainArgs)]);
  if (r.code !== 0) {
    io.err(`${p.name} (eval):\n${r.err}`);
    return null;
  }
  return JSON.parse(r.out) as EvalReport;
}

/** The evaluations of the sweep.json before, made with the same options, by run name, with the training each was made of. */
function earlierEvals(file: string, options: NonNullable<SweepSummary["evalOptions"]>): Map<string, { eval: EvalReport; of: string }> {
  const out = new Map<string, { eval: EvalReport; of: string }>();
  const before = readSweepSummary(file);
  if (before === null || before.evalOptions?.iwaeK !== options.iwaeK || before.evalOptions.limit !== options.limit) return out;
  for (const r of before.runs ?? []) if (r.eval !== undefined && r.eval !== null && r.evalOf !== undefined) out.set(r.name, { eval: r.eval, of: r.evalOf });
  return out;
}

/** A run's line of sweep.json: its values, exit code, the final epoch and the best (what early stopping watched). */
function pointSummary(out: string, p: SweepPoint, exitCode: number): SweepSummary["runs"][number] {
  const dir = join(out, p.name);
  const epochs = readEpochLog(join(dir, RUN_FILES.metrics))?.epochs ?? [];
  const last = epochs.at(-1);
  const best = last === undefined ? undefined : epochs.find((e) => e.epoch === last.monitor.bestEpoch);
  const brief = (e: EpochMetrics | undefined) =>
    e === undefined ? null : { epoch: e.epoch, train: e.train, validation: e.validation, monitored: e.monitor.value };
  return { name: p.name, dir: resolve(dir), values: p.values, overrides: p.overrides, exitCode, final: brief(last), best: brief(best) };
}
