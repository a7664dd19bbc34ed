import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aespec, root } from "../../../cli/run-cli.js";
import { tempDir } from "./helpers.js";

/**
 * The real thing: `aespec train` processes killed with SIGKILL, twice, at
 * the moment an epoch line appears (the checkpoint swap of that epoch has just
 * run or is running), and a second writer refused while one trains. The run
 * resumed to the end holds the same weights, bit for bit, as a straight run.
 */
const EPOCHS = 6;
const args = (spec: string, out: string, resume: boolean) => [
  "train",
  spec,
  "--set",
  `train.epochs=${EPOCHS}`,
  "--backend",
  "cpu",
  "--out",
  out,
  ...(resume ? ["--resume"] : []),
];

/** Starts a training and calls `onEpoch(n, child)` as each epoch line appears; resolves with the exit code or signal. */
function training(dir: string, argv: string[], onEpoch: (epoch: number, pid: number, kill: () => void) => void): Promise<string> {
  const child = spawn(process.execPath, [join(root, "bin/aespec.js"), ...argv], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  let seen = 0;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const epochs = [...out.matchAll(/^epoch (\d+)\//gm)].map((m) => Number(m[1]));
    for (const e of epochs.slice(seen)) onEpoch(e, child.pid!, () => child.kill("SIGKILL"));
    seen = epochs.length;
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((done) =>
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      done(signal ?? String(code));
    }),
  );
}

describe("kill -9 during training, twice, and two writers", () => {
  it("refuses a second writer naming the holder's pid, takes over the stale lock of a killed one, and resumes bit for bit", async () => {
    const dir = tempDir("aespec-kill-");
    copyFileSync(join(root, "specs/linear.aespec"), join(dir, "linear.aespec"));
    expect(aespec(args("linear.aespec", "straight", false), dir).status).toBe(0);

    let second: ReturnType<typeof aespec> | null = null;
    let holder = -1;
    const first = await training(dir, args("linear.aespec", "killed", false), (epoch, pid, kill) => {
      if (epoch !== 2) return;
      holder = pid;
      second = aespec(args("linear.aespec", "killed", true), dir);
      kill();
    });
    expect(first).toBe("SIGKILL");
    expect(second!.status).toBe(1);
    expect(second!.stderr).toContain(`error AE3110: 'killed' is in use: process ${holder} is writing to it`);

    // The killed process's lock is stale: a resume takes it over; kill that one too, right at an epoch's swap.
    const again = await training(dir, args("linear.aespec", "killed", true), (epoch, _pid, kill) => epoch === 4 && kill());
    expect(again).toBe("SIGKILL");
    const last = aespec(args("linear.aespec", "killed", true), dir);
    expect(last.stderr).toBe("");
    expect(last.status).toBe(0);

    const bytes = (run: string, f: string) => readFileSync(join(dir, run, "checkpoint", f));
    expect(bytes("killed", "weights.bin").equals(bytes("straight", "weights.bin"))).toBe(true);
    expect(bytes("killed", "optimizer.bin").equals(bytes("straight", "optimizer.bin"))).toBe(true);
    const losses = (run: string) =>
      readFileSync(join(dir, run, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { train: unknown }).train);
    expect(losses("killed")).toEqual(losses("straight"));
    // Nothing of the dead processes is left: no lock, no temporaries.
    expect(readdirSync(join(dir, "killed")).sort()).toEqual(["checkpoint", "ir.json", "metrics.jsonl", "spec.aespec"]);
  }, 120_000);
});
