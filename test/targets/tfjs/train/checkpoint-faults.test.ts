import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint, recoverCheckpoint, writeCheckpoint, type Checkpoint } from "../../../../src/run/checkpoint.js";
import { isRunTemporary, RunDir, type SwapStep } from "../../../../src/run/run-dir.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, spec, standInModel, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

/**
 * A kill at any step of the checkpoint swap, and a second kill at any step of
 * the next one, leave a complete, verifiable checkpoint: the newest complete
 * copy (found by recoverCheckpoint, which every resume runs first). A fault
 * here throws at the step, which leaves the files exactly as a kill there would.
 */
const STEPS: readonly SwapStep[] = ["writing", "written", "old-removed", "old-moved", "swapped"];
const TEXT = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 48)\n    batch: 16\n    epochs: 2\n    seed: 2" });

class Killed extends Error {}
const killAt = (step: SwapStep) => (s: SwapStep) => {
  if (s === step) throw new Killed(step);
};

async function trainedRun(): Promise<{ run: RunDir; c: Checkpoint }> {
  const dir = join(tempDir(), "run");
  (await train(irOf(TEXT), { buildModel: standInModel, outDir: dir })).model?.dispose();
  const run = RunDir.open(dir);
  if (!run.ok) throw new Error("no run");
  const c = readCheckpoint(run.value);
  if (typeof c === "string") throw new Error(c);
  return { run: run.value, c };
}

const at = (c: Checkpoint, epoch: number): Checkpoint => ({ ...c, state: { ...c.state, epoch } });

/** What a dead writer's process left: its temporary folder under another pid's name. */
function asDeadProcess(run: RunDir, pid: number): void {
  for (const name of readdirSync(run.root)) {
    const m = /^(.*)\.tmp-(\d+)$/.exec(name);
    if (m !== null && Number(m[2]) === process.pid) renameSync(join(run.root, name), join(run.root, `${m[1]}.tmp-${pid}`));
  }
}

function swap(run: RunDir, c: Checkpoint, step: SwapStep | null): void {
  try {
    writeCheckpoint(run, c, "checkpoint", step === null ? undefined : killAt(step));
  } catch (e) {
    if (!(e instanceof Killed)) throw e;
  }
}

describe("the checkpoint swap under kills", () => {
  it.each(STEPS.flatMap((first) => STEPS.map((second) => [first, second] as const)))(
    "killed at %s, then the next swap killed at %s: a complete checkpoint of the newest complete epoch remains",
    async (first, second) => {
      const { run, c } = await trainedRun(); // epoch 2 in place
      swap(run, at(c, 3), first);
      asDeadProcess(run, 999_991);
      // The resumed writer's first swap, without recovering first (the worst case).
      swap(run, at(c, 4), second);
      asDeadProcess(run, 999_992);
      const inPlace = run.exists("checkpoint");
      recoverCheckpoint(run);
      const got = readCheckpoint(run);
      if (typeof got === "string") throw new Error(`no checkpoint after ${first}, ${second}: ${got}; left ${readdirSync(run.root).join(" ")}`);
      // A swap that got to "swapped" put its epoch in place; one that wrote its copy whole ("written" on) left it recoverable.
      const complete = (step: SwapStep) => step !== "writing";
      const newest = complete(second) ? 4 : complete(first) ? 3 : 2;
      const swapped = second === "swapped" ? 4 : first === "swapped" ? 3 : 2;
      // With a checkpoint still in place it is used (a newer one's epoch is trained again on resume, exactly); without, the newest complete copy.
      if (inPlace) expect(got.state.epoch).toBeGreaterThanOrEqual(swapped);
      else expect(got.state.epoch).toBe(newest);
      expect(got.weights.map((w) => w.name)).toEqual(c.weights.map((w) => w.name));
      run.sweepTemporaries();
      expect(readdirSync(run.root).filter((n) => /\.tmp-|\.old$/.test(n))).toEqual([]);
    },
  );

  it("sweeping removes only the run's own leftovers of dead processes, never a file of the user's", async () => {
    const { run } = await trainedRun();
    for (const name of ["lock.stale-999994", "ir.json.tmp-999994", "spec.aespec.tmp-999994", "notes.tmp-999994", "checkpoint.old"])
      writeFileSync(join(run.root, name), "x");
    run.sweepTemporaries();
    expect(readdirSync(run.root).sort()).toEqual(["checkpoint", "ir.json", "metrics.jsonl", "notes.tmp-999994"]);
    expect(["checkpoint.tmp-1", "best.old", "lock.stale-2"].map(isRunTemporary)).toEqual([true, true, true]);
    expect(["notes.tmp-1", "checkpoint.bak", "lock"].map(isRunTemporary)).toEqual([false, false, false]);
  });

  it("a damaged binary file is refused by its checksum, and recovery passes over a damaged copy", async () => {
    const { run, c } = await trainedRun();
    swap(run, at(c, 3), "old-moved"); // checkpoint.old (epoch 2) and checkpoint.tmp-PID (epoch 3), no checkpoint
    asDeadProcess(run, 999_993);
    const tmp = join(run.root, "checkpoint.tmp-999993", "weights.bin");
    const bytes = readFileSync(tmp);
    bytes[bytes.length - 1]! ^= 0x40;
    writeFileSync(tmp, bytes);
    recoverCheckpoint(run);
    const got = readCheckpoint(run);
    expect(typeof got === "string" ? got : got.state.epoch).toBe(2);
    const kept = join(run.root, "checkpoint", "weights.bin");
    const good = readFileSync(kept);
    good[0]! ^= 1;
    writeFileSync(kept, good);
    expect(readCheckpoint(run)).toBe("its checkpoint's weights.bin is damaged: its checksum does not match its checkpoint.json");
  });
});
