/**
 * The run directory: every write goes to a fixed name inside the folder the
 * user named, through a temporary file in the same folder and a rename, so a
 * crash never leaves a half-written file and a symbolic link planted in the
 * folder is replaced, never written through.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../../../src/data/result.js";

export const RUN_FILES = {
  spec: "spec.aespec",
  ir: "ir.json",
  metrics: "metrics.jsonl",
  checkpoint: "checkpoint",
  /** With early_stop: the checkpoint of the best epoch so far, the run's result (what eval, export, encode and report read). */
  best: "best",
} as const;

export class RunDir {
  private constructor(readonly root: string) {}

  /**
   * Refuses a path that exists and is not a folder. The folder is created by
   * the first write, so a run that fails to start leaves nothing behind.
   */
  static open(outDir: string): Result<RunDir> {
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

  /** Creates the folder (and its parents) if it does not exist yet. */
  private ensureRoot(): void {
    mkdirSync(this.root, { recursive: true });
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
    writeFileSync(tmp, data, { flag: "wx" }); // exclusive create: never follows a link
    renameSync(tmp, target);
  }

  /**
   * Replaces the folder `rel` with one holding `files`: written to a temporary
   * folder, then swapped in; the old one is renamed to `rel.old` during the swap
   * (a reader finding no `rel` uses `rel.old`).
   */
  replaceFolder(rel: string, files: Readonly<Record<string, string | Uint8Array>>): void {
    const target = this.path(rel);
    const tmp = `${target}.tmp-${process.pid}`;
    const old = `${target}.old`;
    this.ensureRoot();
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) {
      if (name.includes("/") || name.includes("\\") || name === ".." || name === ".") throw new Error(`internal: bad file name ${name}`);
      writeFileSync(join(tmp, name), data, { flag: "wx" });
    }
    rmSync(old, { recursive: true, force: true });
    if (existsSync(target) || isLink(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  }

  /** The folder `rel`, or `rel.old` when a swap was interrupted; null if neither exists. */
  folderOrBackup(rel: string): string | null {
    const target = this.path(rel);
    if (existsSync(target)) return target;
    const old = `${target}.old`;
    return existsSync(old) ? old : null;
  }
}

export function runDirError(outDir: string, message: string, hint?: string): Diagnostic {
  return diag("AE3106", message, { file: outDir, start: 0, end: 0 }, hint !== undefined ? { hint } : {});
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
