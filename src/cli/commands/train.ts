import { join } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { BackendName } from "../../../targets/tfjs/backend.js";
import type { TrainResult } from "../../../targets/tfjs/index.js";
import { compileOneModel } from "../pick-model.js";
import { EXIT, displayName, type Io } from "../terminal.js";

/** The backends `--backend` accepts (the list is here so that parsing options loads no tensor library). */
export const BACKEND_CHOICES = ["tensorflow-gpu", "tensorflow", "wasm+blas", "wasm", "cpu"] as const satisfies readonly BackendName[];

export interface TrainArgs {
  readonly file: string;
  readonly set: readonly string[];
  readonly model?: string;
  /** Default: runs/<model name>. */
  readonly out?: string;
  readonly backend?: BackendName;
  readonly resume: boolean;
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
 * `aespec train FILE`: compiles, chooses the backend (printed), trains with
 * a progress bar on a terminal and one line per epoch, and says where the run is.
 * TensorFlow.js is loaded only here, by a dynamic import, so the other commands start fast.
 */
export async function trainCommand(args: TrainArgs, io: Io, terminal: BarTerminal = defaultTerminal()): Promise<number> {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  const { model: ir, compilation } = picked;
  const report = (ds: readonly Diagnostic[]) => {
    if (ds.length > 0) io.err(renderDiagnostics(ds, compilation.sources, { color: io.color, displayName }) + "\n\n");
  };
  const outDir = args.out ?? join("runs", ir.name);

  const tfjs = await import("../../../targets/tfjs/index.js");
  const backend = await tfjs.selectBackend(args.backend);
  if (backend.error !== null) {
    io.err(`error: ${backend.error}\n`);
    return EXIT.errors;
  }
  io.out(`backend: ${backend.name}: ${backend.detail}\n`);

  const progress = new tfjs.TrainProgress({ line: (t) => io.out(t + "\n"), barStream: terminal.stream });
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  for (const signal of STOP_SIGNALS) process.once(signal, interrupt);
  let result: TrainResult;
  try {
    result = await tfjs.train(ir, {
      outDir,
      resume: args.resume,
      specText: specAsTrained(compilation.sources.get(args.file)?.text ?? "", args.set),
      signal: controller.signal,
      ...progress.callbacks(),
      onWarning: (w) => {
        progress.stop();
        report([w]);
      },
    });
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, interrupt);
    progress.stop();
  }
  result.model?.dispose();
  report(result.diagnostics.filter((d) => d.severity === "error"));
  return finish(result, outDir, io);
}

/**
 * The spec as written, followed by the `--set` overrides it was trained with
 * (ir.json has them applied). Appended, not prepended: the IR's spans are
 * offsets into the text as written, and diagnostics about a run show them from this file.
 */
function specAsTrained(text: string, overrides: readonly string[]): string {
  if (overrides.length === 0) return text;
  return `${text}${text.endsWith("\n") ? "" : "\n"}// trained with: ${overrides.map((o) => `--set ${o}`).join(" ")}\n`;
}

/** Where early stopping kept an earlier epoch as the run's result. */
function bestNote(r: TrainResult): string {
  return r.resultEpoch !== r.epochs ? ` (the run's result is the best epoch, ${r.resultEpoch}: eval, export, encode and report use it; --resume continues from epoch ${r.epochs})` : "";
}

function finish(r: TrainResult, outDir: string, io: Io): number {
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
