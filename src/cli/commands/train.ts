import { join } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { isUnavailable, type Target, type TargetOptions, type TrainOutcome } from "../../target/target.js";
import { specAsTrained } from "../../run/spec-as-trained.js";
import { compileOneModel } from "../pick-model.js";
import { runtimeLines, type Verbosity } from "../verbosity.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface TrainArgs {
  readonly file: string;
  readonly set: readonly string[];
  readonly model?: string;
  /** Default: runs/<model name>. */
  readonly out?: string;
  readonly resume: boolean;
  readonly verbosity: Verbosity;
}

/** Where the live progress bar may draw: a terminal, or nowhere. */
export interface BarTerminal {
  readonly stream: NodeJS.WritableStream | null;
}

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it; SIGTERM stops it the same way. */
const EXIT_INTERRUPTED = 130;
/** Signals that stop a training after its current batch, keeping the last checkpoint. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * `aespec train FILE`: compiles, asks the target what it cannot run, and
 * trains on it with a progress bar on a terminal and one line per epoch;
 * says where the run is. The target loads its engine itself, so the other
 * commands start fast.
 */
export async function trainCommand(
  args: TrainArgs,
  target: Target,
  options: TargetOptions,
  io: Io,
  terminal: BarTerminal = defaultTerminal(),
): Promise<number> {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  const { model: ir, compilation } = picked;
  const report = (ds: readonly Diagnostic[]) => {
    if (ds.length > 0) io.err(renderDiagnostics(ds, compilation.sources, { color: io.color, displayName }) + "\n\n");
  };
  const train = target.train;
  if (train === undefined) throw new Error(`internal: target '${target.name}' does not train`);
  const refusals = (await target.unsupported(ir)).filter((d) => d.severity === "error");
  if (refusals.length > 0) {
    report(refusals);
    return EXIT.errors;
  }
  const outDir = args.out ?? join("runs", ir.name);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  for (const signal of STOP_SIGNALS) process.once(signal, interrupt);
  let result: TrainOutcome;
  try {
    const r = await train(ir, {
      outDir,
      resume: args.resume,
      specText: specAsTrained(compilation.sources.get(args.file)?.text ?? "", args.set),
      signal: controller.signal,
      options,
      runtime: (r) => io.out(runtimeLines(r, args.verbosity)),
      line: (t) => {
        if (args.verbosity !== "quiet") io.out(t + "\n");
      },
      barStream: args.verbosity === "quiet" ? null : terminal.stream,
      warning: (w) => report([w]),
    });
    if (isUnavailable(r)) {
      io.err(renderDiagnostics([r.unavailable], new Map(), { color: io.color, displayName }) + "\n");
      return EXIT.errors;
    }
    result = r;
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, interrupt);
  }
  report(result.errors);
  return finish(result, outDir, io);
}

/** Where early stopping kept an earlier epoch as the run's result. */
function bestNote(r: TrainOutcome): string {
  return r.resultEpoch !== r.epochs
    ? ` (the run's result is the best epoch, ${r.resultEpoch}: eval, export, encode and report use it; --resume continues from epoch ${r.epochs})`
    : "";
}

function finish(r: TrainOutcome, outDir: string, io: Io): number {
  const where = displayName(outDir);
  switch (r.status) {
    case "completed":
      io.out(`trained ${r.epochs} epoch${r.epochs === 1 ? "" : "s"}${bestNote(r)}; the run is in ${where}\n`);
      return EXIT.ok;
    case "early_stopped":
      io.out(`stopped early after epoch ${r.epochs}${bestNote(r)}; the run is in ${where}\n`);
      return EXIT.ok;
    case "aborted":
      io.out(
        r.epochs > 0
          ? `interrupted; the checkpoint of epoch ${r.epochs} is in ${where}: continue with --resume\n`
          : `interrupted before the first epoch ended; nothing was saved\n`,
      );
      return EXIT_INTERRUPTED;
    case "diverged":
    case "failed":
    case "refused":
      return EXIT.errors;
  }
}

function defaultTerminal(): BarTerminal {
  return { stream: process.stderr.isTTY === true && process.env["TERM"] !== "dumb" ? process.stderr : null };
}
