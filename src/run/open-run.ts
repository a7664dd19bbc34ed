/**
 * Opening the run directory: a fresh run refuses a folder that already holds
 * a checkpoint (so a trained model is never overwritten by accident); a
 * resumed run needs one, trained from the same spec.
 */
import { existsSync } from "node:fs";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { IrModel } from "../ir/model.js";
import { readCheckpoint, recoverCheckpoint, type Checkpoint } from "./checkpoint.js";
import { scheduleDependsOnEpochs } from "./lr-schedule.js";
import { irDifferences, resumeKey } from "./resume-key.js";
import { isRunTemporary, RUN_FILES, RunDir, runDirError, runInUseError } from "./run-dir.js";
import { LOCK_FILE } from "./run-lock.js";

export interface OpenedRun {
  readonly run: RunDir | null;
  readonly checkpoint: Checkpoint | null;
  /** With early_stop, on resume: the best epoch's weights so far (RUN/best), if written. */
  readonly best: Checkpoint | null;
  /** metrics.jsonl lines of the epochs the checkpoint holds (resume), else none. */
  readonly metricsLines: readonly string[];
}

export function openRun(ir: IrModel, outDir: string | null, resume: boolean): OpenedRun | Diagnostic {
  if (outDir === null) {
    if (resume) return noCheckpoint("<memory>", "training in memory (no run directory) cannot resume");
    return { run: null, checkpoint: null, best: null, metricsLines: [] };
  }
  if (resume && !existsSync(outDir)) return noCheckpoint(outDir, `cannot resume from '${outDir}': there is no such folder`);
  const opened = RunDir.open(outDir);
  if (!opened.ok) return opened.diagnostic;
  const run = opened.value;
  // One writer at a time: the lock is held from here until train() ends (a new folder is locked by its first write).
  const busy = run.lock();
  if (busy !== null) return runInUseError(outDir, busy);
  const refused = (d: Diagnostic): Diagnostic => {
    run.unlock();
    return d;
  };
  const r = openLocked(ir, outDir, run, resume);
  return "code" in r ? refused(r) : r;
}

function openLocked(ir: IrModel, outDir: string, run: RunDir, resume: boolean): OpenedRun | Diagnostic {
  if (!resume) {
    // A run directory is empty or holds a run: a folder of other files is never made one (its ir.json, say, would be replaced).
    const others = run.entries("").filter((n) => !isRunEntry(n));
    if (others.length > 0) {
      const shown =
        others
          .slice(0, 3)
          .map((n) => `'${n}'`)
          .join(", ") + (others.length > 3 ? ", ..." : "");
      return runDirError(
        outDir,
        `'${outDir}' holds files that are not a run's (${shown}): a run directory is an empty folder or one aespec train wrote`,
        "choose another --out, e.g. a new folder",
      );
    }
  }
  // What an interrupted swap left: the newest complete copy back in place, then the temporaries gone.
  recoverCheckpoint(run, RUN_FILES.checkpoint);
  recoverCheckpoint(run, RUN_FILES.best);
  run.sweepTemporaries();
  if (!resume) {
    if (run.folderOrBackup(RUN_FILES.checkpoint) !== null || run.folderOrBackup(RUN_FILES.best) !== null) {
      return runDirError(outDir, `'${outDir}' already holds a trained run`, "pass --resume to continue it, or choose another --out");
    }
    return { run, checkpoint: null, best: null, metricsLines: [] };
  }
  const c = readCheckpoint(run);
  if (typeof c === "string") return noCheckpoint(outDir, `cannot resume from '${outDir}': ${c}`);
  const key = resumeKey(ir);
  if (c.resumeKey !== key) return changedSpec(ir, outDir, run, c);
  const best = readCheckpoint(run, RUN_FILES.best);
  // A best epoch after the checkpoint's (a crash between the two writes) is trained again.
  const usableBest = typeof best !== "string" && best.resumeKey === key && best.state.epoch <= c.state.epoch ? best : null;
  return { run, checkpoint: c, best: usableBest, metricsLines: metricsUpTo(run, c.state.epoch) };
}

/** What a run directory may hold (a run started but not yet through its first epoch has some of them), and what interrupted writes leave. */
const RUN_ENTRIES: ReadonlySet<string> = new Set([...Object.values(RUN_FILES), LOCK_FILE, "report.html"]);
const isRunEntry = (name: string) => RUN_ENTRIES.has(name) || isRunTemporary(name);

function noCheckpoint(outDir: string, message: string): Diagnostic {
  return diag("AE3105", message, { file: outDir, start: 0, end: 0 }, { hint: "train without --resume to start a new run" });
}

function changedSpec(ir: IrModel, outDir: string, run: RunDir, c: Checkpoint): Diagnostic {
  let changes: string[] = [];
  try {
    changes = irDifferences(JSON.parse(run.read(RUN_FILES.ir).toString("utf8")), ir);
  } catch {
    // Without the old ir.json the hashes alone say that something changed.
  }
  const what = changes.length > 0 ? `: ${changes.join("; ")}` : "";
  return diag("AE3104", `cannot resume '${outDir}': it was trained from a different spec of '${c.model}'${what}`, ir.span, {
    hint: `only train.epochs and train.early_stop may change on --resume${scheduleDependsOnEpochs(ir.train.schedule) ? " (train.epochs not with a cosine schedule, whose rates depend on it)" : ""}; start a new run with another --out to train the changed spec`,
  });
}

/** The metrics of epochs 1..epoch: lines after a crash between metrics and checkpoint are dropped. */
function metricsUpTo(run: RunDir, epoch: number): string[] {
  if (!run.exists(RUN_FILES.metrics)) return [];
  const lines = run
    .read(RUN_FILES.metrics)
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  return lines.filter((l) => {
    try {
      const e = (JSON.parse(l) as { epoch?: unknown }).epoch;
      return typeof e === "number" && e <= epoch;
    } catch {
      return false;
    }
  });
}
