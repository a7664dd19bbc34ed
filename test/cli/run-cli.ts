import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

/** Runs the built command line (npm test builds dist/ first) as a user would. */
export function aespec(args: readonly string[], cwd = root): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [resolve(root, "bin/aespec.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
