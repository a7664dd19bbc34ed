import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made = new Set<string>();

/** A fresh temporary folder, removed when the test process ends (a failed test's folder stays for the length of the run). */
export function tempDir(prefix = "aespec-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.size === 0) process.once("exit", () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  made.add(dir);
  return dir;
}
