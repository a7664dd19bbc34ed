import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readRunWeights } from "../../../../targets/onnx/run-weights.js";
import { buildModel } from "../../../../targets/tfjs/model/build.js";
import { saveVariables } from "../../../../targets/tfjs/train/checkpoint.js";
import { readCheckpoint, type SavedTensor } from "../../../../src/run/checkpoint.js";
import { loadRun } from "../../../../targets/tfjs/train/load-run.js";
import { RunDir } from "../../../../src/run/run-dir.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** SGD with momentum at a rate that overshoots: validation is best at epoch 2, then worse for 3 epochs. */
const SPEC = `model m {
  input: [6]
  bottleneck: deterministic(2)
  decoder { dense(6) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 6, rank: 2, count: 96)  optimizer: sgd(lr: 0.02, momentum: 0.9)  batch: 16  epochs: 12  seed: 3  validation: 0.25  early_stop: 3 }
}`;

const same = (a: readonly SavedTensor[], b: readonly SavedTensor[]) =>
  a.length === b.length && a.every((t, i) => t.name === b[i]!.name && Array.from(t.values).every((v, j) => v === b[i]!.values[j]));

describe("early stopping keeps the best epoch's weights as the run's result", () => {
  it("the trained model, eval's loadRun and export's weights are the best epoch's; the checkpoint keeps the last state for --resume", async () => {
    const dir = join(tempDir(), "run");
    const r = await train(irOf(SPEC), { outDir: dir, buildModel });
    expect(r.status).toBe("early_stopped");
    const best = r.history[r.history.length - 1]!.monitor.bestEpoch;
    // The setting works as described: the best epoch is not the last one.
    expect(best).toBeLessThan(r.epochs);
    expect(r.resultEpoch).toBe(best);
    const returned = await saveVariables(r.model!);
    r.model!.dispose();

    const run = RunDir.open(dir);
    if (!run.ok) throw new Error("no run");
    const kept = readCheckpoint(run.value, "best");
    const last = readCheckpoint(run.value);
    if (typeof kept === "string" || typeof last === "string") throw new Error(`unreadable: ${String(kept)} ${String(last)}`);
    expect([kept.state.epoch, last.state.epoch]).toEqual([best, r.epochs]);
    expect(same(returned, kept.weights)).toBe(true);
    expect(same(returned, last.weights)).toBe(false);

    const loaded = loadRun(dir);
    if ("code" in loaded) throw new Error(loaded.message);
    expect(loaded.epoch).toBe(best);
    expect(same(await saveVariables(loaded.model), kept.weights)).toBe(true);
    loaded.model.dispose();

    const exported = readRunWeights(dir);
    if (!exported.ok) throw new Error(exported.diagnostic.message);
    for (const t of kept.weights) expect(Array.from(exported.value.weights.get(t.name)!.values)).toEqual(Array.from(t.values));
  });

  it("without early_stop there is no best/ folder and the result is the last epoch", async () => {
    const dir = join(tempDir(), "run");
    const r = await train(irOf(SPEC.replace("  early_stop: 3", ""), ["train.epochs=3"]), { outDir: dir, buildModel });
    r.model?.dispose();
    expect(r.status).toBe("completed");
    expect(r.resultEpoch).toBe(r.epochs);
    expect(existsSync(join(dir, "best"))).toBe(false);
  });
});
