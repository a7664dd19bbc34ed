/**
 * Masked autoencoders (`corrupt: mask(patch, ratio)`, `reconstruction(..., on: masked)`):
 * fresh patches per example and step, the encoder blind to hidden pixels
 * (its latent has exactly zero gradient there), and a loss that reads the
 * hidden pixels only. noise.test.ts checks one pass's mask (whole patches,
 * `hidden` of them, zeros in the encoder's input); here, its randomness
 * across steps and examples, the gradients, and the loss.
 *
 * What "averages over hidden pixels" means (reconstruction.ts): like every
 * reconstruction term (README, "Losses") the per-pixel error is summed over
 * an example's features, here its hidden ones only, and averaged over the
 * batch. Every example hides the same number of pixels, so this is the MAE
 * paper's mean over hidden pixels times that number.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { IrModel } from "../../../../src/ir/model.js";
import type { LossTerm } from "../../../../src/ir/losses.js";
import { Rng, type RngState } from "../../../../src/data/rng.js";
import { createModel, type TfjsModel } from "../../../../targets/tfjs/model/build.js";
import { CORRUPTIONS } from "../../../../targets/tfjs/model/corruptions.js";
import { lossTerms } from "../../../../targets/tfjs/train/losses/index.js";
import { reconstructionLoss } from "../../../../targets/tfjs/train/losses/reconstruction.js";
import { irOf, useCpu } from "../train/helpers.js";
import { deepModel, expectShortRunTrains, numbers, tidyValue } from "./helpers.js";

beforeAll(useCpu);

/** A conv encoder with batch statistics (batchnorm mixes the examples of a batch) on two channels. */
const CONV = `model mae_conv {
  input: [8, 8, 2] in [0, 1]
  corrupt: mask(patch: 2, ratio: 0.5)
  encoder {
    conv(4, kernel: 3) relu
    batchnorm
    conv(4, kernel: 3, stride: 2) elu
    flatten
    dense(5)
  }
  bottleneck: deterministic(3)
  decoder {
    dense(128) sigmoid
    reshape([8, 8, 2])
  }
  loss { reconstruction(mse, on: masked) }
}
`;

const inputs = (shape: number[], seed: number) => tf.tidy(() => tf.add(0.1, tf.mul(0.8, tf.randomUniform(shape, 0, 1, "float32", seed))));

function maskOf(ir: IrModel) {
  const c = ir.corruption;
  if (c === null || c.kind !== "mask") throw new Error(`${ir.name} has no mask`);
  return c;
}

/** Per example, the sorted indices (row-major over the patch grid) of its hidden patches, read from a hidden mask [b, h, w, c]. */
function hiddenPatches(hidden: Float64Array, shape: readonly number[], patch: number): number[][] {
  const [b, h, w, c] = shape as [number, number, number, number];
  const across = w / patch;
  const out: number[][] = [];
  for (let e = 0; e < b; e++) {
    const set: number[] = [];
    for (let p = 0; p < (h / patch) * across; p++) {
      const top = Math.floor(p / across) * patch;
      const left = (p % across) * patch;
      let marks = 0;
      for (let r = top; r < top + patch; r++)
        for (let q = left; q < left + patch; q++) for (let k = 0; k < c; k++) marks += hidden[((e * h + r) * w + q) * c + k]!;
      // Whole patches only: a patch is all hidden or all shown.
      if (marks !== 0 && marks !== patch * patch * c) throw new Error(`example ${e}, patch ${p}: partly hidden`);
      if (marks !== 0) set.push(p);
    }
    out.push(set);
  }
  return out;
}

describe("a fresh random set of patches per example and step", () => {
  it("specs/deep.aespec masked: 37 of 49 patches hidden in each example, other sets at the next step and in other examples", () => {
    const ir = deepModel("masked");
    const mask = maskOf(ir);
    // 28 / 4 = 7 patches a side, 49 in all; 0.75 x 49 = 36.75 rounds to 37.
    expect([mask.patches, mask.hidden]).toEqual([49, 37]);
    const m = createModel(ir, new Rng(1, "init"));
    const x = inputs([8, 28, 28, 1], 1);
    const rng = new Rng(2, "train"); // one stream through consecutive steps, as the trainer's
    const steps = [0, 1].map(() => tf.tidy(() => hiddenPatches(numbers(m.forward(x, { training: true, rng }).hidden!), x.shape, 4)));
    for (const step of steps) {
      for (const set of step) expect(set.length).toBe(37);
      const distinct = new Set(step.map((s) => s.join(",")));
      expect(distinct.size).toBe(8); // every example its own set
    }
    for (let e = 0; e < 8; e++) expect(steps[1]![e]).not.toEqual(steps[0]![e]);
    x.dispose();
    m.dispose();
  });

  it("every patch is hidden with probability ratio, the same for all patches", () => {
    const ir = deepModel("masked");
    const mask = maskOf(ir);
    const rng = new Rng(3, "train");
    const examples = 400;
    const counts = new Array<number>(mask.patches).fill(0);
    tf.tidy(() => {
      const { hidden } = CORRUPTIONS.mask(tf.zeros([examples, 28, 28, 1]), mask, ir.input.range, rng);
      for (const set of hiddenPatches(numbers(hidden!), [examples, 28, 28, 1], 4)) for (const p of set) counts[p]!++;
    });
    const p = 37 / 49;
    for (const c of counts) expect(Math.abs(c / examples - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / examples));
  });
});

/**
 * d latent[k] / d x for every latent unit k, summed over the batch (the mask
 * replayed from one stream state for each pass), as [unit][input value].
 */
function latentJacobianRows(m: TfjsModel, x: tf.Tensor, state: RngState): Float64Array[] {
  const units = m.ir.bottleneck.latentShape.reduce((a, b) => a * b, 1);
  const n = x.shape[0]!;
  return Array.from({ length: units }, (_, k) =>
    tidyValue(() => {
      const unit = (input: tf.Tensor) => {
        const latent = m.forward(input, { training: true, rng: Rng.fromState(state) }).latent;
        return tf.sum(tf.slice(tf.reshape(latent, [n, units]), [0, k], [n, 1]));
      };
      return numbers(tf.grad(unit)(x));
    }),
  );
}

describe("the encoder never sees hidden pixels", () => {
  function check(ir: IrModel, shape: number[]): void {
    const m = createModel(ir, new Rng(4, "init"));
    const x = inputs(shape, 5);
    const state = new Rng(6, "train").state();
    const hidden = tidyValue(() => numbers(m.forward(x, { training: true, rng: Rng.fromState(state) }).hidden!));
    const rows = latentJacobianRows(m, x, state);
    let visibleNonZero = 0;
    rows.forEach((g, k) => {
      g.forEach((v, i) => {
        if (hidden[i] === 1) {
          if (v !== 0) throw new Error(`d latent[${k}] / d x[${i}] = ${v} at a hidden pixel`);
        } else if (v !== 0) visibleNonZero++;
      });
    });
    // The test can fail: the latent does depend on the visible pixels.
    expect(visibleNonZero).toBeGreaterThan(0.5 * rows.length * hidden.filter((h) => h === 0).length);
    // With no mask (evaluation), the hidden pixels would count.
    const open = tidyValue(() => numbers(tf.grad((input: tf.Tensor) => tf.sum(m.forward(input, { training: false, rng: new Rng(0) }).latent))(x)));
    expect(open.some((v, i) => hidden[i] === 1 && v !== 0)).toBe(true);
    x.dispose();
    m.dispose();
  }

  it("specs/deep.aespec masked: the gradient of every latent unit with respect to every hidden pixel is exactly zero", () => {
    check(deepModel("masked"), [2, 28, 28, 1]);
  });

  it("a conv encoder with batchnorm on two channels: the same", () => {
    check(irOf(CONV), [3, 8, 8, 2]);
  });
});

describe("the `on: masked` loss reads the hidden pixels only", () => {
  const term = (likelihood: "mse" | "bernoulli"): LossTerm => ({
    ...(deepModel("masked").losses[0] as Extract<LossTerm, { kind: "reconstruction" }>),
    likelihood,
  });

  it.each(["mse", "bernoulli"] as const)(
    "%s: changing the reconstruction at visible pixels leaves it unchanged; at one hidden pixel, it changes by that pixel's error",
    (likelihood) => {
      const ir = { ...deepModel("masked"), losses: [term(likelihood)] } as IrModel;
      const m = createModel(ir, new Rng(7, "init"));
      const x = inputs([4, 28, 28, 1], 8);
      tf.tidy(() => {
        const f = m.forward(x, { training: true, rng: new Rng(9, "train") });
        const hidden = f.hidden!;
        const loss = (reconstruction: tf.Tensor) =>
          lossTerms(ir, { forward: { ...f, reconstruction }, progress: 0, training: true, rng: new Rng(0), model: m })[0]!.value.dataSync()[0]!;
        const base = loss(f.reconstruction);
        // Visible pixels moved anywhere inside (0, 1).
        const elsewhere = tf.add(tf.mul(f.reconstruction, hidden), tf.mul(tf.randomUniform(x.shape, 0.01, 0.99, "float32", 10), tf.sub(1, hidden)));
        expect(numbers(elsewhere)).not.toEqual(numbers(f.reconstruction));
        expect(loss(elsewhere)).toBe(base);
        // One hidden pixel moved: the loss moves by its error's change over the batch of 4.
        const h = numbers(hidden);
        const i = h.indexOf(1);
        const r = numbers(f.reconstruction);
        const xs = numbers(x);
        const moved = Float32Array.from(r);
        moved[i] = r[i]! > 0.5 ? r[i]! - 0.3 : r[i]! + 0.3;
        const perPixel = (p: number) => (likelihood === "mse" ? (xs[i]! - p) ** 2 : -(xs[i]! * Math.log(p) + (1 - xs[i]!) * Math.log(1 - p)));
        const expected = (perPixel(moved[i]!) - perPixel(r[i]!)) / 4;
        const changed = loss(tf.tensor(moved, x.shape));
        expect(changed).not.toBe(base);
        expect(changed - base).toBeCloseTo(expected, 3);
      });
      x.dispose();
      m.dispose();
    },
  );

  it("by hand: the batch mean of each example's sum over its hidden features", () => {
    // Two examples of 2 x 2 pixels; x = 0, so each error is r^2.
    const x = tf.zeros([2, 2, 2, 1]);
    const r = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const hidden = tf.tensor4d([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2, 1]);
    // Example 1 hides r = 1 and 4: 1 + 16 = 17; example 2 hides 6 and 7: 36 + 49 = 85; (17 + 85) / 2 = 51.
    expect(reconstructionLoss("mse", x, r, hidden).dataSync()[0]).toBe(51);
    // Without a mask every feature counts: (1 + 4 + 9 + 16 + 25 + 36 + 49 + 64) / 2 = 102.
    expect(reconstructionLoss("mse", x, r).dataSync()[0]).toBe(102);
    tf.dispose([x, r, hidden]);
  });

  it("specs/deep.aespec masked: the loss is 592 (37 patches of 16 pixels) times the mean squared error over hidden pixels", () => {
    const ir = deepModel("masked");
    const m = createModel(ir, new Rng(11, "init"));
    const x = inputs([5, 28, 28, 1], 12);
    tf.tidy(() => {
      const f = m.forward(x, { training: true, rng: new Rng(13, "train") });
      const loss = lossTerms(ir, { forward: f, progress: 0, training: true, rng: new Rng(0), model: m })[0]!.value.dataSync()[0]!;
      const h = numbers(f.hidden!);
      const r = numbers(f.reconstruction);
      const xs = numbers(x);
      let sum = 0;
      let count = 0;
      h.forEach((v, i) => {
        if (v === 1) {
          sum += (xs[i]! - r[i]!) ** 2;
          count++;
        }
      });
      expect(count).toBe(5 * 37 * 16);
      const meanOverHidden = sum / count;
      expect(Math.abs(loss - 592 * meanOverHidden)).toBeLessThan(1e-5 * loss);
    });
    x.dispose();
    m.dispose();
  });
});

describe("specs/deep.aespec masked trains", () => {
  it("a short run (4 steps on 64 MNIST images): completed, finite losses, every variable moved", async () => {
    const metrics = await expectShortRunTrains("masked");
    expect(Object.keys(metrics.train.terms)).toEqual(["reconstruction"]);
  });
});
