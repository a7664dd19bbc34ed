import { existsSync, lstatSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Code } from "../diagnostics/codes.js";
import { diag } from "../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "./result.js";

export interface WriteOptions {
  /** Files this command reads: an output that is one of them is refused (it would destroy it). */
  readonly inputs?: readonly string[];
  /** A run directory this output belongs in (the report's RUN/report.html); any other run directory is refused. */
  readonly runDir?: string;
}

/**
 * Writes a file through a temporary file in the same folder and a rename, so
 * a reader never sees half of it. The folder must exist: a mistyped path is
 * refused rather than created. An output is refused where it would destroy
 * something: an empty path, a special file (a device, a FIFO, a folder), one
 * of the command's own inputs, or a file inside a run directory. A symbolic
 * link to a regular file is written through (the file it names is replaced),
 * so the link stays. Failures are diagnostics under `code`.
 */
export function writeFileAtomic(file: string, contents: Uint8Array | string, code: Code, opts: WriteOptions = {}): Result<void> {
  const at = { file, start: 0, end: 0 };
  const refuse = (why: string, hint?: string) => fail<void>(diag(code, `cannot write '${file}': ${why}`, at, hint === undefined ? {} : { hint }));
  if (file.trim() === "") return refuse("the path is empty", "give a file name");
  const target = linkTarget(file);
  if (target === null) return refuse("it is a link to something that is not a regular file");
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return refuse(`the folder '${dirname(file)}' does not exist`, "create the folder first, or give another path");
  }
  if (existsSync(target)) {
    const st = statSync(target);
    if (st.isDirectory()) return refuse("it is a folder");
    if (!st.isFile()) return refuse("it is not a regular file (a device, a FIFO or a socket)", "write to a regular file");
  }
  const refusal = destroys(target, opts);
  if (refusal !== null) return refuse(refusal.why, refusal.hint);
  const tmp = join(folder, `.${basename(target)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, contents, { flag: "wx" });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    return refuse((e as Error).message);
  }
  return ok(undefined);
}

/** The path to write: the file a symbolic link names when it is a regular file (or does not exist yet); null for a link to anything else. */
function linkTarget(file: string): string | null {
  const path = resolve(file);
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
  } catch {
    return path; // does not exist: a new file
  }
  try {
    const real = realpathSync(path);
    return statSync(real).isFile() ? real : null;
  } catch {
    return null; // a dangling link: refused rather than followed to a place the user did not name
  }
}

/** Why writing `target` would destroy an input or a run; null when it would not. */
function destroys(target: string, opts: WriteOptions): { why: string; hint: string } | null {
  const real = realOrSelf(target);
  for (const input of opts.inputs ?? []) {
    if (existsSync(input) && realOrSelf(resolve(input)) === real)
      return { why: "it is an input of this command, which writing it would destroy", hint: "write the output to another file" };
  }
  const run = enclosingRun(dirname(real));
  const allowed = opts.runDir === undefined ? null : realOrSelf(resolve(opts.runDir));
  if (run !== null && run !== allowed)
    return { why: `it is inside the run directory '${run}', whose files only aespec train writes`, hint: "write the output outside the run directory" };
  return null;
}

/** The nearest folder at or above `folder` that holds a run (an ir.json beside a checkpoint or metrics.jsonl), or null. */
export function enclosingRun(folder: string): string | null {
  let dir = folder;
  for (;;) {
    if (isRunFolder(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function isRunFolder(dir: string): boolean {
  try {
    const names = new Set(readdirSync(dir));
    return names.has("ir.json") && (names.has("checkpoint") || names.has("checkpoint.old") || names.has("metrics.jsonl"));
  } catch {
    return false;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
