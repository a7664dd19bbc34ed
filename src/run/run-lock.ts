/**
 * One writer per run directory: RUN/lock, created exclusively, names the
 * process that holds it (pid, and on Linux the process's start time, so a pid
 * reused by another process after a crash is not taken for the holder). A
 * lock whose holder is gone (killed, crashed) is stale and is taken over, so
 * it never blocks a resume.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "lock";

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  /** /proc/PID/stat's start time, where there is a /proc. */
  readonly started: string | null;
}

export type LockOutcome = { readonly ok: true } | { readonly ok: false; readonly holder: number };

/** Takes the lock of the folder `root` (which exists). */
export function acquireLock(root: string): LockOutcome {
  const path = join(root, LOCK_FILE);
  const me: LockRecord = { pid: process.pid, host: hostname(), started: startTime(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me) + "\n", { flag: "wx" });
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const held = readLock(path);
    // A lock being written this instant by a starting process reads as empty: young, it counts as held.
    if (held === null && young(path)) return { ok: false, holder: -1 };
    if (held !== null && held.pid === me.pid && held.started === me.started && held.host === me.host) return { ok: true };
    if (held !== null && alive(held)) return { ok: false, holder: held.pid };
    // Stale: move it aside under a name of ours (only one taker wins the rename), then try again.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
      rmSync(aside, { force: true });
    } catch {
      // Another process took it over first; the next attempt sees its lock.
    }
  }
  const held = readLock(path);
  return { ok: false, holder: held?.pid ?? -1 };
}

/** Releases the lock if this process holds it. */
export function releaseLock(root: string): void {
  const path = join(root, LOCK_FILE);
  const held = readLock(path);
  if (held !== null && held.pid === process.pid && held.host === hostname()) rmSync(path, { force: true });
}

/** Whether a process of this machine named by a lock is still running (a lock of another host counts as held). */
function alive(l: LockRecord): boolean {
  if (l.host !== hostname()) return true;
  try {
    process.kill(l.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  const now = startTime(l.pid);
  return l.started === null || now === null || now === l.started;
}

function readLock(path: string): LockRecord | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<LockRecord>;
    if (typeof v.pid !== "number" || typeof v.host !== "string") return null;
    return { pid: v.pid, host: v.host, started: typeof v.started === "string" ? v.started : null };
  } catch {
    return null;
  }
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name), or null without /proc. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function young(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}
