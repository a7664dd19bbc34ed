/**
 * The trainer with the target's real model builder (targets/tfjs/model):
 * layers with state (batchnorm), randomness (dropout, corruption, sampling),
 * VQ with EMA and restarts, and masked reconstruction.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const DEEP = `model deep {
  input: [8]
  corrupt: gaussian(sigma: 0.1)
  encoder {
    dense(16) relu
    batchnorm
    dropout(0.2)
  }
  bottleneck: gaussian(3)
  decoder {
    dense(16) elu
    layernorm
    dense(8)
  }
  loss {
    reconstruction(gaussian)
    kl(beta: 1, warmup: 1, free_bits: 0.1)
  }
  train {
    data: lowrank(dim: 8, rank: 3, count: 96)
    optimizer: adam(lr: 1e-2)
    batch: 16
    epochs: 4
    seed: 9
    validation: 0.25
  }
}
`;

const VQ = `model vq {
  input: [8, 8, 1] in [0, 1]
  encoder {
    conv(4, kernel: 2, stride: 2) relu
  }
  bottleneck: vq(codes: 8, dim: 2, ema: 0.9, restart: true)
  decoder {
    deconv(1, kernel: 2, stride: 2) sigmoid
  }
  loss {
    reconstruction(bernoulli)
    commitment(beta: 0.25)
  }
  train {
    data: sprites(size: 8, count: 64)
    batch: 16
    epochs: 3
    seed: 2
  }
}
`;

const MASKED = `model mae {
  input: [8, 8, 1] in [0, 1]
  corrupt: mask(patch: 4, ratio: 0.5)
  encoder { flatten  dense(8) relu }
  bottleneck: deterministic(4)
  decoder { dense(64) sigmoid  reshape([8, 8, 1]) }
  loss { reconstruction(mse, on: masked) }
  train {
    data: sprites(size: 8, count: 64)
    batch: 16
    epochs: 2
    seed: 2
  }
}
`;

describe("training the real tfjs model", () => {
  it("keeps memory flat over epochs (batchnorm, dropout, corruption, sampling, validation)", async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const r = await train(irOf(DEEP, ["train.epochs=6"]), { onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(r.status).toBe("completed");
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(r.history[5]!.gaussian!.units).toBe(3);
    r.model!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("resumes bit-identically: batchnorm statistics and every random stream are in the checkpoint", async () => {
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    (await train(irOf(DEEP), { outDir: straight })).model?.dispose();
    (await train(irOf(DEEP, ["train.epochs=2"]), { outDir: resumed })).model?.dispose();
    const r = await train(irOf(DEEP), { outDir: resumed, resume: true });
    r.model?.dispose();
    expect(r.history.map((e) => e.epoch)).toEqual([3, 4]);
    const bin = (dir: string, f: string) => readFileSync(join(dir, "checkpoint", f));
    expect(bin(resumed, "weights.bin").equals(bin(straight, "weights.bin"))).toBe(true);
    expect(bin(resumed, "optimizer.bin").equals(bin(straight, "optimizer.bin"))).toBe(true);
    const manifest = JSON.parse(bin(straight, "checkpoint.json").toString("utf8")) as { weights: { tensors: { name: string }[] } };
    // The batchnorm moving statistics are saved with the weights.
    expect(manifest.weights.tensors.length).toBeGreaterThan(r.model!.trainable.length);
  });

  it("trains a VQ model with EMA codebook updates and restarts, logging its code usage", async () => {
    const counts: number[] = [];
    const r = await train(irOf(VQ), { onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(r.status).toBe("completed");
    expect(new Set(counts).size).toBe(1);
    for (const e of r.history) {
      expect(e.codebook!.codes).toBe(8);
      expect(e.codebook!.codesUsed).toBeGreaterThan(0);
      expect(Object.keys(e.train.terms)).toEqual(["reconstruction", "commitment"]);
    }
    r.model!.dispose();
  });

  it("trains a masked autoencoder whose loss counts the hidden patches only", async () => {
    const r = await train(irOf(MASKED));
    expect(r.status).toBe("completed");
    // (The handler's masking is checked against hand computation in losses.test.ts.)
    for (const e of r.history) expect(Number.isFinite(e.train.total)).toBe(true);
    r.model!.dispose();
  });
});
