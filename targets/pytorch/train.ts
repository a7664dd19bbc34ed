/**
 * `aespec train --target pytorch`: opens the run directory as every trainer
 * does (src/run/open-run.ts: the lock, a fresh run never over a trained one,
 * resume only of the same spec), writes the package into RUN/pytorch, and runs
 * its train.py with the Python found (python.ts). The trainer reports on
 * standard output as JSON lines (--events), which become the same progress
 * lines and bar as the tfjs target's; the lock stays with this process and
 * the child is told so (AESPEC_LOCK_HELD).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../src/ir/model.js";
import { openRun } from "../../src/run/open-run.js";
import { RUN_FILES } from "../../src/run/run-dir.js";
import { readEpochLog } from "../../src/run/metrics.js";
import { divergedError } from "../../src/run/train-errors.js";
import { collapseWarnings, NOT_COLLAPSED, type Collapsed } from "../../src/target/collapse-warnings.js";
import { TrainProgress } from "../../src/target/progress.js";
import type { TrainOutcome, TrainRequest, TrainStatus, Unavailable } from "../../src/target/target.js";
import type { EpochMetrics, StartInfo, StepInfo } from "../../src/target/train-events.js";
import { writePackage } from "./package.js";
import { findPythonTorch } from "./python.js";

type Event =
  | ({ event: "start"; device: string; torch: string } & StartInfo)
  | ({ event: "step" } & StepInfo)
  | { event: "epoch"; metrics: EpochMetrics }
  | { event: "done"; status: TrainStatus; epochs: number; resultEpoch: number }
  | { event: "diverged"; culprit: string; batch: number; batches: number; value: number; epoch: number }
  | { event: "error"; message: string };

const nprocOf = (request: TrainRequest) => Number(request.options["nproc"] ?? "1");

const refused = (d: Diagnostic): TrainOutcome => ({ status: "refused", errors: [d], epochs: 0, resultEpoch: 0 });

export async function trainWithPython(ir: IrModel, request: TrainRequest): Promise<TrainOutcome | Unavailable> {
  const found = findPythonTorch();
  if ("code" in found) return { unavailable: found };
  const opened = openRun(ir, request.outDir, request.resume);
  if ("code" in opened) return refused(opened);
  const run = opened.run!;
  try {
    const pkg = await writePackage(ir, { dir: join(run.root, RUN_FILES.package), specText: request.specText, inputs: [], runDir: run.root });
    if (!pkg.ok) return refused(pkg.diagnostic);
    const device = request.options["device"] ?? "auto";
    request.runtime({
      name: "pytorch",
      summary: `PyTorch ${found.torch} (${device === "auto" ? (found.cuda ? "cuda" : "cpu") : device}${nprocOf(request) > 1 ? `, ${nprocOf(request)} processes` : ""})`,
      details: [`python ${found.executable}`, `package ${pkg.value.dir}`],
    });
    return await runTrainer(ir, request, found.python, pkg.value.dir, run.root, { device, nproc: nprocOf(request) }, opened.checkpoint?.state.epoch ?? 0);
  } finally {
    run.unlock();
  }
}

async function runTrainer(
  ir: IrModel,
  request: TrainRequest,
  python: string,
  pkg: string,
  root: string,
  how: { readonly device: string; readonly nproc: number },
  startEpoch: number,
): Promise<TrainOutcome> {
  const script = [join(pkg, "train.py"), "--out", root, "--events", "--device", how.device, ...(request.resume ? ["--resume"] : [])];
  // More than one process: torchrun on this machine (the package's aespec_torch.launch: torchrun mended for torch 1.13 on
  // Python 3.11), its rendezvous on a free local port, rank 0 reporting.
  const args = how.nproc > 1 ? ["-m", "aespec_torch.launch", "--standalone", `--nproc_per_node=${how.nproc}`, ...script] : script;
  const child = spawn(python, args, { cwd: pkg, env: { ...process.env, AESPEC_LOCK_HELD: String(process.pid) }, stdio: ["ignore", "pipe", "pipe"] });
  const progress = new TrainProgress({ line: request.line, barStream: request.barStream });
  const cb = progress.callbacks();
  const stderr: string[] = [];
  let epochs = startEpoch;
  let collapsed = collapsedAt(ir, root, startEpoch);
  let outcome: TrainOutcome | null = null;
  const onAbort = () => child.kill("SIGINT");
  request.signal.addEventListener("abort", onAbort);
  createInterface({ input: child.stderr }).on("line", (l) => {
    stderr.push(l);
    if (stderr.length > 40) stderr.shift();
  });
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (l) => {
    let e: Event;
    try {
      e = JSON.parse(l) as Event;
    } catch {
      stderr.push(l);
      return;
    }
    if (e.event === "start") cb.onStart(e);
    else if (e.event === "step") cb.onStep(e);
    else if (e.event === "epoch") {
      epochs = e.metrics.epoch;
      cb.onEpoch(e.metrics);
      const w = collapseWarnings(ir, e.metrics, collapsed);
      collapsed = w.collapsed;
      w.warnings.forEach(request.warning);
    } else if (e.event === "done") outcome = { status: e.status, errors: [], epochs: e.epochs, resultEpoch: e.resultEpoch };
    else if (e.event === "diverged") {
      progress.stop();
      const d = divergedError(ir, { culprit: e.culprit, batch: e.batch, batches: e.batches, validation: e.batches === 0, value: e.value }, epochs, root);
      outcome = { status: "diverged", errors: [d], epochs, resultEpoch: epochs };
    } else if (e.event === "error") {
      outcome = refused(diag("AE3114", `the PyTorch trainer stopped: ${e.message}`, ir.span));
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  request.signal.removeEventListener("abort", onAbort);
  progress.stop();
  if (request.signal.aborted) return { status: "aborted", errors: [], epochs, resultEpoch: epochs };
  if (outcome !== null) return outcome;
  return { status: "failed", errors: [trainerExited(ir, code, epochs, stderr, pkg)], epochs, resultEpoch: epochs };
}

/** The run's collapses after its epoch `epoch` (its metrics.jsonl line), so that a resumed run warns only of a new one. */
function collapsedAt(ir: IrModel, root: string, epoch: number): Collapsed {
  if (epoch === 0) return NOT_COLLAPSED;
  let line: EpochMetrics | undefined;
  try {
    line = readEpochLog(join(root, RUN_FILES.metrics))?.epochs.find((m) => m.epoch === epoch);
  } catch {
    return NOT_COLLAPSED;
  }
  return line === undefined ? NOT_COLLAPSED : collapseWarnings(ir, line, NOT_COLLAPSED).collapsed;
}

/** AE3114 for a trainer that exited without saying how it ended: its status, the epochs it finished and the last line it printed (usually the exception). */
export function trainerExited(ir: IrModel, code: number | null, epochs: number, stderr: readonly string[], pkg: string): Diagnostic {
  const last = [...stderr]
    .reverse()
    .find((l) => l.trim() !== "")
    ?.trim();
  return diag(
    "AE3114",
    `the PyTorch trainer exited with ${code === null ? "a signal" : `status ${code}`} after epoch ${epochs}${last === undefined ? "" : `: ${last}`}`,
    ir.span,
    { hint: `the package is ${pkg}; run its train.py by hand to see everything it printed` },
  );
}
