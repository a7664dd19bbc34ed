/**
 * The Wasserstein autoencoder's MMD term: the unbiased estimator and its
 * kernels against hand computation and its own statistics, its gradient
 * against finite differences, and a short training run of specs/' wae.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import type { KernelKind } from "../../../../src/ir/losses.js";
import type { Forward, TfModel } from "../../../../targets/tfjs/model-api.js";
import { mmdUnbiased as mmdFloat64 } from "../../../../src/metrics/prior-distance.js";
import { fromRows } from "../../../../src/metrics/row-matrix.js";
import { normalTensor } from "../../../../targets/tfjs/model/random.js";
import { lossTerms, unsupportedTerms } from "../../../../targets/tfjs/train/losses/index.js";
import { kernelMatrix, mmdLoss, mmdUnbiased } from "../../../../targets/tfjs/train/losses/mmd.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { mnistSubset } from "../variants/helpers.js";
import { irOf, spec, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const SCALES = [0.1, 0.2, 0.5, 1, 2, 5, 10];
const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const mmd = (x: number[][], y: number[][], kernel: KernelKind = "imq") => read(tf.tidy(() => mmdUnbiased(tf.tensor2d(x), tf.tensor2d(y), kernel)));
/** n draws of N(shift, I) in d dimensions. */
const sample = (n: number, d: number, rng: Rng, shift = 0): number[][] =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() + shift));

describe("the MMD estimator", () => {
  it("matches a hand computation on 3 points, for both kernels and with C = 2 d_z s", () => {
    // x = {0, 1, 2} on a line, y = three copies of 0. Squared distances inside x: 1, 4, 1 (each pair twice);
    // inside y: 0; across: 0, 1, 4 for each y. With K(D) the kernel summed over scales, K(0) = 7:
    // MMD = (2 K(1) + K(4)) / 3 + 7 - 2 (7 + K(1) + K(4)) / 3 = (7 - K(4)) / 3.
    const x1 = [[0], [1], [2]];
    const y1 = [[0], [0], [0]];
    // d_z = 1, C = 2s: imq K(4) = sum 2s / (2s + 4); rbf K(4) = sum exp(-4 / 2s).
    const imq4 = 0.2 / 4.2 + 0.4 / 4.4 + 1 / 5 + 2 / 6 + 4 / 8 + 10 / 14 + 20 / 24;
    const rbf4 = Math.exp(-20) + Math.exp(-10) + Math.exp(-4) + Math.exp(-2) + Math.exp(-1) + Math.exp(-0.4) + Math.exp(-0.2);
    expect(mmd(x1, y1, "imq")).toBeCloseTo((7 - imq4) / 3, 5);
    expect(mmd(x1, y1, "rbf")).toBeCloseTo((7 - rbf4) / 3, 5);
    // The same points in 2 dimensions: d_z = 2, C = 4s, imq K(4) = sum s / (s + 1).
    const x2 = [
      [0, 0],
      [1, 0],
      [2, 0],
    ];
    const y2 = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    const imq4in2 = SCALES.reduce((a, s) => a + s / (s + 1), 0);
    expect(mmd(x2, y2, "imq")).toBeCloseTo((7 - imq4in2) / 3, 5);
    expect(imq4in2).not.toBeCloseTo(imq4, 2); // the two cases tell d_z apart
  });

  it("averages zero over many draws of one distribution (unbiased), where the biased V-statistic is clearly positive", () => {
    const rng = new Rng(5, "mmd-unbiased");
    const draws = 400;
    const u: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < draws; i++) {
      const [ui, vi] = tf.tidy(() => {
        const x = tf.tensor2d(sample(16, 3, rng));
        const y = tf.tensor2d(sample(16, 3, rng));
        // The V-statistic: every entry of each kernel matrix, diagonals included.
        const biased = tf.sub(tf.add(tf.mean(kernelMatrix(x, x, "imq")), tf.mean(kernelMatrix(y, y, "imq"))), tf.mul(2, tf.mean(kernelMatrix(x, y, "imq"))));
        return [mmdUnbiased(x, y, "imq").dataSync()[0]!, biased.dataSync()[0]!];
      });
      u.push(ui!);
      v.push(vi!);
    }
    const stats = (a: number[]) => {
      const mean = a.reduce((s, x) => s + x, 0) / a.length;
      const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.length - 1));
      return { mean, se: sd / Math.sqrt(a.length) };
    };
    const U = stats(u);
    const V = stats(v);
    const report = `unbiased ${U.mean.toFixed(4)} +- ${U.se.toFixed(4)}, biased ${V.mean.toFixed(4)} +- ${V.se.toFixed(4)}`;
    expect(Math.abs(U.mean), report).toBeLessThan(3.5 * U.se);
    expect(V.mean, report).toBeGreaterThan(10 * V.se);
    // Single draws of the unbiased estimator do go negative.
    expect(u.some((x) => x < 0)).toBe(true);
  });

  it("is positive for shifted distributions, with both kernels", () => {
    const rng = new Rng(6, "mmd-shifted");
    for (const kernel of ["imq", "rbf"] as const) {
      const x = sample(64, 4, rng);
      const y = sample(64, 4, rng, 1);
      const same = sample(64, 4, rng);
      const shifted = mmd(x, y, kernel);
      expect(shifted).toBeGreaterThan(0.1);
      expect(shifted).toBeGreaterThan(10 * Math.abs(mmd(x, same, kernel)));
    }
  });

  it("agrees with the float64 estimator of src/metrics (the figures' MMD)", () => {
    const rng = new Rng(10, "mmd-float64");
    const x = sample(12, 5, rng);
    const y = sample(12, 5, rng, 0.4);
    for (const kernel of ["imq", "rbf"] as const) expect(mmd(x, y, kernel)).toBeCloseTo(mmdFloat64(fromRows(x), fromRows(y), kernel), 4);
  });

  it("is symmetric in its two samples", () => {
    const rng = new Rng(7, "mmd-symmetric");
    const x = sample(10, 3, rng);
    const y = sample(10, 3, rng, 0.5);
    for (const kernel of ["imq", "rbf"] as const) expect(mmd(x, y, kernel)).toBeCloseTo(mmd(y, x, kernel), 5);
  });

  it("has the gradient of finite differences, for both samples and kernels", () => {
    const rng = new Rng(8, "mmd-gradient");
    const x0 = sample(5, 3, rng);
    const y0 = sample(5, 3, rng, 0.3);
    const eps = 1e-2;
    for (const kernel of ["imq", "rbf"] as const) {
      const [gx, gy] = tf.tidy(() =>
        tf
          .grads((a: tf.Tensor, b: tf.Tensor) => mmdUnbiased(a as tf.Tensor2D, b as tf.Tensor2D, kernel))([tf.tensor2d(x0), tf.tensor2d(y0)])
          .map((g) => g.arraySync() as number[][]),
      );
      let largest = 0;
      for (const [which, grad] of [
        [0, gx!],
        [1, gy!],
      ] as const) {
        for (let i = 0; i < 5; i++) {
          for (let j = 0; j < 3; j++) {
            const at = (delta: number) => {
              const pts = [x0.map((r) => [...r]), y0.map((r) => [...r])];
              pts[which]![i]![j]! += delta;
              return mmd(pts[0]!, pts[1]!, kernel);
            };
            const fd = (at(eps) - at(-eps)) / (2 * eps);
            expect(Math.abs(grad[i]![j]! - fd), `${kernel} sample ${which} [${i}, ${j}]`).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
            largest = Math.max(largest, Math.abs(fd));
          }
        }
      }
      expect(largest).toBeGreaterThan(0.05); // the comparison is not between zeros
    }
  });
});

describe("the mmd loss term", () => {
  it("is weight times the MMD between the flattened code map and prior draws from the context's Rng", () => {
    const latent = tf.tensor4d(sample(6, 4, new Rng(9, "codes")).flat(), [6, 2, 2, 1]);
    const term = read(tf.tidy(() => mmdLoss(latent, 10, "imq", new Rng(3, "prior"))));
    const byHand = read(tf.tidy(() => mmdUnbiased(tf.reshape(latent, [6, 4]) as tf.Tensor2D, normalTensor([6, 4], new Rng(3, "prior")) as tf.Tensor2D, "imq")));
    expect(term).toBeCloseTo(10 * byHand, 4);
    // Another stream draws other prior samples.
    expect(read(tf.tidy(() => mmdLoss(latent, 10, "imq", new Rng(4, "prior"))))).not.toBeCloseTo(term, 3);
    // One example alone has no pair to compare: the term is 0, not NaN.
    expect(Math.abs(read(tf.tidy(() => mmdLoss(tf.slice(latent, 0, 1), 10, "imq", new Rng(3, "prior")))))).toBe(0);
    latent.dispose();
  });

  it("is what the loss table computes for an mmd term, drawing from ctx.rng", () => {
    const ir = irOf(spec({ loss: "reconstruction(mse)\n    mmd(weight: 2, kernel: rbf)" }));
    expect(unsupportedTerms(ir)).toEqual([]);
    const latent = tf.tensor2d(sample(4, 2, new Rng(2, "codes")));
    const forward = { input: tf.zeros([4, 6]), reconstruction: tf.zeros([4, 6]), latent, gaussian: null, vq: null } as unknown as Forward;
    const ctx = { forward, progress: 1, training: true, rng: new Rng(1, "t"), model: null as unknown as TfModel };
    const got = tf.tidy(() => lossTerms(ir, ctx).map((t) => [t.kind, t.value.dataSync()[0]!] as const));
    const expected = read(tf.tidy(() => mmdLoss(latent, 2, "rbf", new Rng(1, "t"))));
    expect(got[1]![0]).toBe("mmd");
    expect(got[1]![1]).toBeCloseTo(expected, 5);
    tf.dispose([latent, forward.input, forward.reconstruction]);
  });

  it("is refused (AE3102, at the term) only with batches of one example", () => {
    const text = spec({ loss: "reconstruction(mse)\n    mmd(weight: 1, kernel: imq)" });
    const ds = unsupportedTerms(irOf(text, ["train.batch=1"]));
    expect(ds.map((d) => d.code)).toEqual(["AE3102"]);
    expect(text.slice(ds[0]!.span.start, ds[0]!.span.end)).toBe("mmd(weight: 1, kernel: imq)");
    expect(unsupportedTerms(irOf(text, ["train.batch=2"]))).toEqual([]);
  });
});

describe("training specs/adversarial.aespec's wae", () => {
  const path = resolve(import.meta.dirname, "../../../../specs/adversarial.aespec");
  const text = readFileSync(path, "utf8");
  it("trains a few steps on 32 MNIST images with flat memory, logging a finite mmd term in training and validation", async () => {
    const subset = await mnistSubset(32);
    const overrides = [`train.data="${subset}"`, "train.batch=8", "train.epochs=2", "train.validation=0.25"];
    const counts: number[] = [];
    const r = await train(irOf(text, overrides, "wae"), { onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(r.status).toBe("completed");
    expect(new Set(counts).size).toBe(1);
    for (const e of r.history) {
      expect(e.steps).toBe(3);
      expect(Object.keys(e.train.terms)).toEqual(["reconstruction", "mmd"]);
      expect(Number.isFinite(e.train.terms["mmd"]!)).toBe(true);
      expect(Number.isFinite(e.validation!.terms["mmd"]!)).toBe(true);
    }
    r.model!.dispose();
  });
});

describe("resuming a run with an mmd term", () => {
  // A small model (the real builder) on generated data: the point is the stream the prior draws come from.
  const text = spec({
    loss: "reconstruction(mse)\n    mmd(weight: 1, kernel: imq)",
    train: "data: lowrank(dim: 6, rank: 2, count: 90)\n    optimizer: adam(lr: 1e-2)\n    batch: 16\n    epochs: 4\n    seed: 3\n    validation: 0.2",
  });

  it("gives bit-identical weights (the prior draws come from the checkpointed stream)", async () => {
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    (await train(irOf(text), { outDir: straight })).model?.dispose();
    (await train(irOf(text, ["train.epochs=2"]), { outDir: resumed })).model?.dispose();
    const r = await train(irOf(text), { outDir: resumed, resume: true });
    r.model?.dispose();
    expect(r.history.map((e) => e.epoch)).toEqual([3, 4]);
    const bin = (dir: string, f: string) => readFileSync(join(dir, "checkpoint", f));
    expect(bin(resumed, "weights.bin").equals(bin(straight, "weights.bin"))).toBe(true);
    expect(bin(resumed, "optimizer.bin").equals(bin(straight, "optimizer.bin"))).toBe(true);
  });
});
