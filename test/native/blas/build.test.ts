import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The `install` script must never fail an install: without a compiler (or
 * OpenBLAS) it prints one line saying why and exits 0, while
 * `npm run build:native` fails loudly. Only the early exits are run here: a
 * real build is what `npm install` and the native tests exercise.
 */
const script = resolve(import.meta.dirname, "../../../native/blas/build.mjs");

function build(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
}

describe("native/blas/build.mjs", () => {
  it("--optional: no compiler is one line on stdout and exit 0", () => {
    const r = build(["--optional"], { CC: "/nonexistent/cc" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^aespec: native GEMM not built \(no C compiler \(\/nonexistent\/cc\)\); training uses plain wasm/),
    ]);
  });

  it("without --optional the same is an error (exit 1)", () => {
    const r = build([], { CC: "/nonexistent/cc" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/native\/blas: not built: no C compiler/);
  });

  it("AESPEC_SKIP_NATIVE=1 skips the build", () => {
    const r = build(["--optional"], { AESPEC_SKIP_NATIVE: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not built \(AESPEC_SKIP_NATIVE=1\)/);
  });
});
