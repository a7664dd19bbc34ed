/** RUN/report.html, written whole or not at all. */
import { join } from "node:path";
import { writeFileAtomic } from "../data/write-file.js";
import { ok, type Result } from "../data/result.js";

export const REPORT_FILE = "report.html";

/** Returns the path written. */
export function writeReportFile(runDir: string, html: string): Result<string> {
  const file = join(runDir, REPORT_FILE);
  const r = writeFileAtomic(file, html, "AE3302", { runDir });
  return r.ok ? ok(file) : r;
}
