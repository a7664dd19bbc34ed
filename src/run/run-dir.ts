/**
 * The run directory: every write goes to a fixed name inside the folder the
 * user named, through a temporary file in the same folder and a rename, so a
 * crash never leaves a half-written file and a symbolic link planted in the
 * folder is replaced, never written through.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../data/result.js";
import { acquireLock, releaseLock } from "./run-lock.js";

export const RUN_FILES = {
  spec: "spec.aespec",
  ir: "ir.json",
  metrics: "metrics.jsonl",
  checkpoint: "checkpoint",
  /** With early_stop: the checkpoint of the best epoch so far, the run's result (what eval, export, encode and report read). */
  best: "best",
  /** A target's generated trainer, where it trains outside this process (the PyTorch target's package). */
  package: "pytorch",
} as const;

/** Thrown by a write when another live process holds the run directory's lock. */
export class RunInUse extends Error {
  constructor(readonly holder: number) {
    super(holder > 0 ? `process ${holder} is writing to it` : "another process is starting to write to it");
  }
}

export class RunDir {
  private locked = false;

  private constructor(readonly root: string) {}

  /**
   * Refuses a path that exists and is not a folder. The folder is created by
   * the first write, so a run that fails to start leaves nothing behind.
   */
  static open(outDir: string): Result<RunDir> {
    if (outDir.trim() === "") return fail(runDirError(outDir, "the run directory's path is empty", "give a folder with --out, e.g. --out runs/vae"));
    const root = resolve(outDir);
    try {
      // The folder the user named may itself be a link to a folder: that is their choice.
      if (existsSync(root) && !statSync(root).isDirectory()) {
        return fail(runDirError(outDir, `'${outDir}' exists and is not a folder`));
      }
    } catch (e) {
      return fail(runDirError(outDir, `cannot use '${outDir}': ${(e as Error).message}`));
    }
    return ok(new RunDir(root));
  }

  /** Creates the folder (and its parents) if it does not exist yet, and takes its lock. */
  private ensureRoot(): void {
    mkdirSync(this.root, { recursive: true });
    const error = this.lock();
    if (error !== null) throw error;
  }

  /**
   * Takes the folder's lock, if it exists (a folder not yet created is locked
   * by the first write). A writer holds it until unlock(); a second one is
   * refused, naming the holder's pid; a stale lock (its process gone) is taken over.
   */
  lock(): RunInUse | null {
    if (this.locked || !existsSync(this.root)) return null;
    const got = acquireLock(this.root);
    if (!got.ok) return new RunInUse(got.holder);
    this.locked = true;
    return null;
  }

  unlock(): void {
    if (this.locked) releaseLock(this.root);
    this.locked = false;
  }

  /** The absolute path of an entry; `rel` is one of our fixed relative names, never user input. */
  path(rel: string): string {
    const p = resolve(this.root, normalize(rel));
    const r = relative(this.root, p);
    if (r === "" || r.startsWith("..") || isAbsolute(r) || r.split(sep).includes("..")) {
      throw new Error(`internal: '${rel}' is outside the run directory`);
    }
    return p;
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  read(rel: string): Buffer {
    return readFileSync(this.path(rel));
  }

  /** Writes through a temporary name and a rename (atomic on one file system). */
  writeAtomic(rel: string, data: string | Uint8Array): void {
    const target = this.path(rel);
    const tmp = `${target}.tmp-${process.pid}`;
    this.ensureRoot();
    removeIfPresent(tmp);
    writeDurable(tmp, data); // exclusive create: never follows a link
    renameSync(tmp, target);
  }

  /**
   * Replaces the folder `rel` with one holding `files`, so that at every
   * moment one complete copy is in place or recoverable (recoverCheckpoint):
   * the new copy is written whole to `rel.tmp-PID` and flushed to disk; the
   * old one is renamed to `rel.old` (a stale `rel.old` is removed only while
   * a complete `rel` exists); the new one is renamed in; only then does the
   * old one go. `fault` (tests) runs at each step, as a kill there would.
   */
  replaceFolder(rel: string, files: Readonly<Record<string, string | Uint8Array>>, fault: (step: SwapStep) => void = () => {}): void {
    const target = this.path(rel);
    const tmp = `${target}.tmp-${process.pid}`;
    const old = `${target}.old`;
    this.ensureRoot();
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) {
      if (name.includes("/") || name.includes("\\") || name === ".." || name === ".") throw new Error(`internal: bad file name ${name}`);
      writeDurable(join(tmp, name), data);
      fault("writing");
    }
    syncFolder(tmp);
    fault("written");
    if (existsSync(target) || isLink(target)) {
      rmSync(old, { recursive: true, force: true });
      fault("old-removed");
      renameSync(target, old);
      fault("old-moved");
    }
    renameSync(tmp, target);
    syncFolder(this.root);
    fault("swapped");
    rmSync(old, { recursive: true, force: true });
  }

  /** The entries of the folder whose names start with `prefix` (none when it does not exist). */
  entries(prefix: string): string[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root).filter((n) => n.startsWith(prefix));
  }

  /** Renames the entry `from` (a name in the folder) to `rel`. */
  adopt(from: string, rel: string): void {
    renameSync(this.path(from), this.path(rel));
    syncFolder(this.root);
  }

  /**
   * Removes what interrupted writes left: temporary files and folders
   * (`NAME.tmp-PID`) of other processes (with the lock held, none of them is
   * writing), and `rel.old` copies whose `rel` is in place.
   */
  sweepTemporaries(): void {
    for (const name of this.entries("")) {
      if (!isRunTemporary(name)) continue;
      const tmp = /\.(?:tmp|stale)-(\d+)$/.exec(name);
      const stale = (tmp !== null && Number(tmp[1]) !== process.pid) || (name.endsWith(".old") && existsSync(this.path(name.slice(0, -4))));
      if (stale) rmSync(this.path(name), { recursive: true, force: true });
    }
  }

  /** The folder `rel`, or `rel.old` when a swap was interrupted; null if neither exists. */
  folderOrBackup(rel: string): string | null {
    const target = this.path(rel);
    if (existsSync(target)) return target;
    const old = `${target}.old`;
    return existsSync(old) ? old : null;
  }
}

export function runInUseError(outDir: string, e: RunInUse): Diagnostic {
  return diag(
    "AE3110",
    `'${outDir}' is in use: ${e.message}`,
    { file: outDir, start: 0, end: 0 },
    {
      hint: "wait for it to finish (or stop it), or train into another --out",
    },
  );
}

export function runDirError(outDir: string, message: string, hint?: string): Diagnostic {
  return diag("AE3106", message, { file: outDir, start: 0, end: 0 }, hint !== undefined ? { hint } : {});
}

/** A temporary or backup copy of one of the run's own entries (`checkpoint.old`, `ir.json.tmp-PID`, ...): what sweepTemporaries may remove. */
export function isRunTemporary(name: string): boolean {
  if (/^lock\.stale-\d+$/.test(name)) return true; // a stale lock being taken over when its taker died
  const m = /^(.*)\.(old|tmp-\d+)$/.exec(name);
  return m !== null && (Object.values(RUN_FILES) as string[]).includes(m[1]!);
}

/** The steps of a folder swap (replaceFolder), where a fault test stops it. */
export type SwapStep = "writing" | "written" | "old-removed" | "old-moved" | "swapped";

/** Writes a new file (never through a link) and flushes it to disk before returning. */
function writeDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "wx");
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (renames, new files) to disk; a no-op where folders cannot be opened. */
function syncFolder(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // Not supported on this platform or file system: the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function removeIfPresent(p: string): void {
  try {
    unlinkSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
