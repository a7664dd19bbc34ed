import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { BuildModel } from "../../../../targets/tfjs/model-api.js";
import { train, type TrainOptions } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, spec, standInModel, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

async function run(text: string, overrides: string[], extra: Partial<TrainOptions>) {
  const r = await train(irOf(text, overrides), { buildModel: standInModel, ...extra });
  r.model?.dispose();
  return r;
}

const file = (dir: string, name: string) => readFileSync(join(dir, name));
const checkpointState = (dir: string) => (JSON.parse(file(dir, "checkpoint/checkpoint.json").toString("utf8")) as { state: { epoch: number } }).state;
/** metrics.jsonl without the wall-clock fields. */
const metrics = (dir: string) =>
  file(dir, "metrics.jsonl")
    .toString("utf8")
    .trim()
    .split("\n")
    .map((l) => {
      const { seconds: _s, examplesPerSecond: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });

// Sampling noise, shuffling, a validation split, a KL warm-up that spans the resume point, Adam.
const VAE = spec({
  bottleneck: "gaussian(2)",
  loss: "reconstruction(mse)\n    kl(beta: 1, warmup: 3)",
  train: "data: lowrank(dim: 6, rank: 2, count: 80)\n    optimizer: adam(lr: 1e-2)\n    batch: 16\n    epochs: 4\n    seed: 5\n    validation: 0.2",
});

describe("--resume", () => {
  for (const [name, text] of [
    ["gaussian, adam", VAE],
    [
      "sgd with momentum, a step schedule whose warm-up spans the resume point",
      spec({
        bottleneck: "gaussian(2)",
        loss: "reconstruction(mse)\n    kl()",
        train:
          "data: lowrank(dim: 6, rank: 2, count: 80)\n    optimizer: sgd(lr: 0.05, momentum: 0.9)\n    schedule: step(every: 1, factor: 0.5, warmup: 2.5)\n    batch: 16\n    epochs: 4\n    seed: 5\n    validation: 0.2",
      }),
    ],
    [
      "vq without ema, rmsprop with momentum",
      spec({
        bottleneck: "vq(codes: 8, dim: 2)",
        loss: "reconstruction(mse)\n    commitment()",
        train: "data: lowrank(dim: 6, rank: 2, count: 80)\n    optimizer: rmsprop(lr: 1e-2, momentum: 0.5)\n    batch: 16\n    epochs: 4\n    seed: 5",
      }),
    ],
  ] as const) {
    it(`${name}: 2 epochs, stop, resume to 4 gives bit-identical weights and optimizer state to 4 straight`, async () => {
      const straight = join(tempDir(), "straight");
      expect((await run(text, [], { outDir: straight })).status).toBe("completed");

      const resumed = join(tempDir(), "resumed");
      expect((await run(text, ["train.epochs=2"], { outDir: resumed })).status).toBe("completed");
      expect(checkpointState(resumed).epoch).toBe(2);
      const starts: number[] = [];
      const second = await run(text, [], { outDir: resumed, resume: true, onStart: (s) => starts.push(s.startEpoch) });
      expect(second.status).toBe("completed");
      expect(starts).toEqual([2]);
      expect(second.history.map((e) => e.epoch)).toEqual([3, 4]);

      expect(file(resumed, "checkpoint/weights.bin").equals(file(straight, "checkpoint/weights.bin"))).toBe(true);
      expect(file(resumed, "checkpoint/optimizer.bin").equals(file(straight, "checkpoint/optimizer.bin"))).toBe(true);
      expect(checkpointState(resumed)).toEqual(checkpointState(straight));
      expect(metrics(resumed)).toEqual(metrics(straight));
    });
  }

  it("a run of one epoch differs from the straight run (the comparison above can fail)", async () => {
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    await run(VAE, ["train.epochs=1"], { outDir: a });
    await run(VAE, ["train.epochs=2"], { outDir: b });
    expect(file(a, "checkpoint/weights.bin").equals(file(b, "checkpoint/weights.bin"))).toBe(false);
  });

  it("uses checkpoint.old when a swap was interrupted", async () => {
    const dir = join(tempDir(), "run");
    await run(VAE, ["train.epochs=1"], { outDir: dir });
    renameSync(join(dir, "checkpoint"), join(dir, "checkpoint.old"));
    const r = await run(VAE, ["train.epochs=2"], { outDir: dir, resume: true });
    expect(r.status).toBe("completed");
    expect(checkpointState(dir).epoch).toBe(2);
  });

  it("refuses a changed spec, naming what changed", async () => {
    const dir = join(tempDir(), "run");
    await run(VAE, ["train.epochs=1"], { outDir: dir });
    const changed = VAE.replace("adam(lr: 1e-2)", "adam(lr: 2e-2)");
    const r = await run(changed, [], { outDir: dir, resume: true });
    expect(r.status).toBe("refused");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3104"]);
    expect(r.diagnostics[0]!.message).toContain("train.optimizer.lr: 0.01 -> 0.02");
    expect(checkpointState(dir).epoch).toBe(1); // untouched
  });

  it("accepts more epochs and another early_stop: they only say when to stop", async () => {
    const dir = join(tempDir(), "run");
    await run(VAE, ["train.epochs=1"], { outDir: dir });
    const r = await run(VAE, ["train.epochs=2", "train.early_stop=3"], { outDir: dir, resume: true });
    expect(r.status).toBe("completed");
  });

  it("refuses other epochs under a cosine schedule, whose rates depend on them; the same epochs resume", async () => {
    const dir = join(tempDir(), "run");
    const cosine = ["train.schedule=cosine(min: 1e-4)"];
    const aborted = new AbortController();
    // Stopped after its first epoch: a run of 4 epochs with 1 done.
    const first = await run(VAE, cosine, { outDir: dir, onEpoch: () => aborted.abort(), signal: aborted.signal });
    expect(first.status).toBe("aborted");
    expect(checkpointState(dir).epoch).toBe(1);
    const longer = await run(VAE, [...cosine, "train.epochs=8"], { outDir: dir, resume: true });
    expect(longer.status).toBe("refused");
    expect(longer.diagnostics[0]!.message).toContain("train.epochs: 4 -> 8");
    expect(longer.diagnostics[0]!.hint).toContain("cosine");
    const same = await run(VAE, cosine, { outDir: dir, resume: true });
    expect(same.status).toBe("completed");
    expect(same.history.map((e) => e.epoch)).toEqual([2, 3, 4]);
  });

  it("a schedule's rate reaches the optimizer, and is logged as lr", async () => {
    // step(every: 1, factor: 1e-6): the second epoch's steps move the weights by a millionth of the first's.
    const text = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 64)\n    optimizer: sgd(lr: 0.05)\n    batch: 16\n    epochs: 2\n    seed: 5" });
    const weights = async (overrides: string[]) => {
      const dir = join(tempDir(), "run");
      const r = await run(text, overrides, { outDir: dir });
      expect(r.status).toBe("completed");
      const bytes = file(dir, "checkpoint/weights.bin");
      return { w: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), lr: r.history.map((e) => e.lr) };
    };
    const once = await weights(["train.epochs=1"]);
    const stepped = await weights(["train.schedule=step(every: 1, factor: 1e-6)"]);
    const constant = await weights([]);
    const distance = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
    expect(distance(constant.w, once.w)).toBeGreaterThan(1e-3);
    expect(distance(stepped.w, once.w)).toBeLessThan(1e-5 * distance(constant.w, once.w) + 1e-7);
    expect(stepped.lr).toEqual([0.05, 0.05 * 1e-6]);
    expect(constant.lr).toEqual([0.05, 0.05]);
  });
});

/** The stand-in, with NaN in the reconstruction of the n-th training batch. */
function nanAtTrainingCall(n: number): BuildModel {
  return (ir, rng) => {
    const m = standInModel(ir, rng);
    let calls = 0;
    return {
      ...m,
      forward: (x, o) => {
        const f = m.forward(x, o);
        if (!o.training || ++calls !== n) return f;
        return { ...f, reconstruction: tf.mul(f.reconstruction, NaN) };
      },
    };
  };
}

describe("a NaN or infinite loss", () => {
  it("stops the run naming the term and the batch, and keeps the last good checkpoint", async () => {
    const dir = join(tempDir(), "run");
    // 80 examples in batches of 16: 5 steps an epoch; the 8th training batch is epoch 2, batch 3.
    const text = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 80)\n    batch: 16\n    epochs: 4\n    seed: 5" });
    const weightsAfterOne = join(tempDir(), "one");
    await run(text, ["train.epochs=1"], { outDir: weightsAfterOne });
    const r = await run(text, [], { outDir: dir, buildModel: nanAtTrainingCall(8) });
    expect(r.status).toBe("diverged");
    expect(r.epochs).toBe(1);
    const d = r.diagnostics.find((x) => x.code === "AE3103")!;
    expect(d.message).toBe("loss term 'reconstruction' is NaN at epoch 2, batch 3 of 5; training stopped");
    expect(text.slice(d.span.start, d.span.end)).toBe("reconstruction(mse)");
    expect(d.hint).toContain("checkpoint of epoch 1 is kept");
    expect(checkpointState(dir).epoch).toBe(1);
    expect(file(dir, "checkpoint/weights.bin").equals(file(weightsAfterOne, "checkpoint/weights.bin"))).toBe(true);
    expect(metrics(dir).map((m) => m["epoch"])).toEqual([1]);
  });

  it("from a huge learning rate: the run stops with a located error instead of training on garbage", async () => {
    const text = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 80)\n    optimizer: sgd(lr: 1e12)\n    batch: 16\n    epochs: 5\n    seed: 5" });
    const r = await run(text, [], {});
    expect(r.status).toBe("diverged");
    const d = r.diagnostics.find((x) => x.code === "AE3103")!;
    expect(d.message).toMatch(/^(loss term 'reconstruction'|the total loss) is (NaN|Infinity) at epoch \d, batch \d of 5; training stopped$/);
    expect(d.related[0]!.message).toContain("learning rate");
  });
});
