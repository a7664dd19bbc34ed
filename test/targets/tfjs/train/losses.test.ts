import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import type { Forward, TfModel, VqOut } from "../../../../targets/tfjs/model-api.js";
import { commitmentLoss } from "../../../../targets/tfjs/train/losses/commitment.js";
import { LOSS_HANDLERS, lossTerms, objectiveOf, unsupportedTerms, type LossContext } from "../../../../targets/tfjs/train/losses/index.js";
import { freeBitsKl, gaussianKl, klWeight } from "../../../../targets/tfjs/train/losses/kl.js";
import { reconstructionLoss } from "../../../../targets/tfjs/train/losses/reconstruction.js";
import { irOf, spec, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** A loss context for handlers that read only the forward pass and the schedule. */
const ctxOf = (forward: Forward, progress: number): LossContext => ({
  forward,
  progress,
  training: true,
  rng: new Rng(1, "test"),
  model: null as unknown as TfModel,
});

const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe("KL of a Gaussian posterior against N(0, I)", () => {
  it("matches a Monte Carlo estimate of E_q[log q(z) - log p(z)] for each unit", () => {
    const mu = [0.5, -1.2, 0, 2];
    const logVar = [0, 0.6, -1.5, 1];
    const closed = tf.tidy(() => gaussianKl(tf.tensor2d([mu]), tf.tensor2d([logVar])).arraySync()[0]!);
    const rng = new Rng(11, "kl-monte-carlo");
    const n = 200_000;
    mu.forEach((m, j) => {
      const sigma = Math.exp(0.5 * logVar[j]!);
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        const eps = rng.normal();
        const z = m + sigma * eps;
        // log N(z; m, sigma^2) - log N(z; 0, 1): the 2 pi terms cancel.
        const sample = -0.5 * logVar[j]! - 0.5 * eps * eps + 0.5 * z * z;
        sum += sample;
        sumSq += sample * sample;
      }
      const mean = sum / n;
      const stderr = Math.sqrt((sumSq / n - mean * mean) / n);
      expect(Math.abs(closed[j]! - mean)).toBeLessThan(5 * stderr);
      expect(stderr).toBeLessThan(0.02); // the test has power: a 0.1 nat error would fail
    });
  });

  it("is zero for the prior itself and sums units, averages examples", () => {
    const kl = tf.tidy(() => gaussianKl(tf.zeros([3, 4]), tf.zeros([3, 4])));
    expect(Array.from(kl.dataSync())).toEqual(new Array(12).fill(0));
    kl.dispose();
    // mu = 1, logVar = 0: KL = 0.5 per unit; two units; examples 0.5+0.5 and 0 -> mean 0.5.
    const v = tf.tidy(() =>
      freeBitsKl(
        gaussianKl(
          tf.tensor2d([
            [1, 1],
            [0, 0],
          ]),
          tf.zeros([2, 2]),
        ),
        0,
      ),
    );
    expect(value(v)).toBeCloseTo(0.5, 6);
  });
});

describe("KL schedules", () => {
  it("warms up linearly over fractional epochs, then stays at beta", () => {
    expect(klWeight(2, 4, 0)).toBe(0);
    expect(klWeight(2, 4, 1)).toBe(0.5);
    expect(klWeight(2, 4, 2.5)).toBe(1.25);
    expect(klWeight(2, 4, 4)).toBe(2);
    expect(klWeight(2, 4, 9)).toBe(2);
    expect(klWeight(2, 0, 0)).toBe(2);
    expect(klWeight(3, 10, Infinity)).toBe(3);
  });

  it("free bits: sum_j max(lambda, batch mean of KL_j), with no gradient for units under lambda", () => {
    // Per-unit batch means: unit 0: (0.1 + 0.1) / 2, unit 1: (0.2 + 0.8) / 2, unit 2: (1 + 3) / 2.
    const perUnit = tf.tensor2d([
      [0.1, 0.2, 1],
      [0.1, 0.8, 3],
    ]);
    expect(value(tf.tidy(() => freeBitsKl(perUnit, 0.6)))).toBeCloseTo(0.6 + 0.6 + 2, 6);
    expect(value(tf.tidy(() => freeBitsKl(perUnit, 0)))).toBeCloseTo(0.1 + 0.5 + 2, 6);
    const g = tf.grad((p: tf.Tensor) => freeBitsKl(p as tf.Tensor2D, 0.6))(perUnit);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0.5, 0, 0, 0.5]);
    tf.dispose([g, perUnit]);
  });

  it("the kl handler gives beta times the free-bits KL; its schedule, the warm-up's factor, weights it in the objective only", () => {
    const ir = irOf(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse)\n    kl(beta: 2, warmup: 4, free_bits: 0.25)" }));
    const kl = ir.losses.find((t) => t.kind === "kl")!;
    if (kl.kind !== "kl") throw new Error("no kl");
    const mean = tf.tensor2d([
      [1, 0],
      [1, 0],
    ]); // KL per unit: 0.5 and 0
    const logVar = tf.zeros([2, 2]);
    const forward = { gaussian: { mean, logVar } } as unknown as Forward;
    const at = (progress: number) => value(tf.tidy(() => LOSS_HANDLERS.kl.value(kl, ctxOf(forward, progress), ir)));
    // max(0.25, 0.5) + max(0.25, 0) = 0.75, times beta, whatever the progress.
    for (const progress of [0, 1, 8]) expect(at(progress)).toBeCloseTo(0.75 * 2, 6);
    // The objective's factor: min(1, progress / 4).
    const factor = (progress: number) => LOSS_HANDLERS.kl.schedule!(kl, progress);
    expect([factor(0), factor(1), factor(8), factor(Infinity)]).toEqual([0, 0.25, 1, 1]);
    // The objective a step minimises: 3 + 0.25 * 2.
    const objective = tf.tidy(() =>
      objectiveOf([
        { kind: "reconstruction", value: tf.scalar(3), factor: 1 },
        { kind: "kl", value: tf.scalar(2), factor: 0.25 },
      ]),
    );
    expect(value(objective)).toBe(3.5);
    tf.dispose([mean, logVar]);
  });
});

describe("reconstruction likelihoods", () => {
  // Two examples of two features.
  const x = [
    [0, 1],
    [1, 0.5],
  ];
  const r = [
    [0.2, 0.9],
    [0.7, 0.5],
  ];
  const loss = (l: "mse" | "bernoulli" | "gaussian", xs = x, rs = r) => value(tf.tidy(() => reconstructionLoss(l, tf.tensor2d(xs), tf.tensor2d(rs))));

  it("mse: squared error summed over features, mean over the batch", () => {
    // Example 1: 0.04 + 0.01 = 0.05; example 2: 0.09 + 0 = 0.09; mean 0.07.
    expect(loss("mse")).toBeCloseTo(0.07, 6);
  });

  it("bernoulli: binary cross-entropy summed over features, mean over the batch", () => {
    // Example 1: -ln(0.8) - ln(0.9); example 2: -ln(0.7) - (0.5 ln 0.5 + 0.5 ln 0.5) = -ln(0.7) + ln 2.
    const e1 = 0.22314355 + 0.10536052;
    const e2 = 0.35667494 + 0.69314718;
    expect(loss("bernoulli")).toBeCloseTo((e1 + e2) / 2, 5);
  });

  it("bernoulli clips probabilities to [1e-7, 1 - 1e-7]: a confident miss costs -ln(1e-7), not infinity", () => {
    expect(loss("bernoulli", [[1]], [[0]])).toBeCloseTo(-Math.log(1e-7), 3);
    // In float32, 1 - 1e-7 rounds to 1 - 1.19e-7.
    expect(loss("bernoulli", [[0]], [[1]])).toBeCloseTo(-Math.log(1 - Math.fround(1 - 1e-7)), 3);
  });

  it("gaussian: unit-variance NLL with the 0.5 log 2 pi constant per feature", () => {
    const c = 0.5 * Math.log(2 * Math.PI); // 0.918939
    // Example 1: 0.5 * 0.05 + 2c; example 2: 0.5 * 0.09 + 2c; mean 0.035 + 2c.
    expect(loss("gaussian")).toBeCloseTo(0.035 + 2 * c, 5);
  });

  it("on masked patches: only the hidden features count", () => {
    // Example 1 hides feature 2 (error 0.01), example 2 hides both (0.09 + 0): mean 0.05.
    const v = value(
      tf.tidy(() =>
        reconstructionLoss(
          "mse",
          tf.tensor2d(x),
          tf.tensor2d(r),
          tf.tensor2d([
            [0, 1],
            [1, 1],
          ]),
        ),
      ),
    );
    expect(v).toBeCloseTo(0.05, 6);
  });

  it("sums every feature of an image-shaped example", () => {
    const v = value(tf.tidy(() => reconstructionLoss("mse", tf.ones([2, 2, 2, 1]), tf.zeros([2, 2, 2, 1]))));
    expect(v).toBe(4);
  });
});

describe("commitment", () => {
  const vqOut = (encoded: tf.Tensor, codes: tf.Tensor): VqOut => ({ encoded, codes, quantized: codes, indices: tf.zeros([1], "int32") });

  it("is beta ||z_e - e||^2 averaged over latent vectors, plus the codebook term without EMA", () => {
    // Two vectors: distances^2 = (1^2 + 2^2) = 5 and (0 + 1^2) = 1: mean 3.
    const ze = tf.tensor2d([
      [1, 2],
      [0, 1],
    ]);
    const e = tf.tensor2d([
      [0, 0],
      [0, 0],
    ]);
    expect(value(tf.tidy(() => commitmentLoss(vqOut(ze, e), 0.25, false)))).toBeCloseTo(0.75, 6);
    expect(value(tf.tidy(() => commitmentLoss(vqOut(ze, e), 0.25, true)))).toBeCloseTo(0.75 + 3, 6);
    tf.dispose([ze, e]);
  });

  it("sends beta's share of the gradient to the encoder and the codebook share to the codes only", () => {
    const ze = tf.tensor2d([[1, 2]]);
    const e = tf.tensor2d([[0, 0]]);
    const [gz, ge] = tf.grads((a: tf.Tensor, b: tf.Tensor) => commitmentLoss(vqOut(a, b), 0.25, true))([ze, e]);
    // d/dze of 0.25 ||ze - sg(e)||^2 = 0.5 (ze - e); d/de of ||sg(ze) - e||^2 = -2 (ze - e).
    expect(Array.from(gz!.dataSync())).toEqual([0.5, 1]);
    expect(Array.from(ge!.dataSync())).toEqual([-2, -4]);
    const [, geEma] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.add(commitmentLoss(vqOut(a, b), 0.25, false), tf.mul(0, tf.sum(b))))([ze, e]);
    expect(Array.from(geEma!.dataSync())).toEqual([0, 0]);
    tf.dispose([ze, e, gz!, ge!, geEma!]);
  });
});

describe("terms this target does not train yet", () => {
  it("are refused before training, each at its span", () => {
    // contractive with a batchnorm in the encoder (no closed-form Jacobian), mmd with one example per batch.
    const text = spec({ loss: "reconstruction(mse)\n    contractive(weight: 0.1)\n    mmd(weight: 1)", train: "batch: 1" }).replace(
      "  bottleneck:",
      "  encoder { dense(4) batchnorm }\n  bottleneck:",
    );
    const ir = irOf(text);
    const ds = unsupportedTerms(ir);
    expect(ds.map((d) => d.code)).toEqual(["AE3102", "AE3102"]);
    expect(ds.map((d) => text.slice(d.span.start, d.span.end))).toEqual(["contractive(weight: 0.1)", "mmd(weight: 1)"]);
    expect(ds[0]!.message).toContain("contractive");
    expect(ds[0]!.message).toContain("batchnorm");
  });

  it("supported terms pass, and lossTerms gives one value per term in spec order", () => {
    const ir = irOf(spec({ bottleneck: "gaussian(2)", loss: "kl(beta: 1)\n    reconstruction(mse)" }));
    expect(unsupportedTerms(ir)).toEqual([]);
    const forward = {
      input: tf.zeros([1, 6]),
      reconstruction: tf.ones([1, 6]),
      gaussian: { mean: tf.zeros([1, 2]), logVar: tf.zeros([1, 2]) },
    } as unknown as Forward;
    const terms = tf.tidy(() => lossTerms(ir, ctxOf(forward, 1)).map((t) => [t.kind, t.value.dataSync()[0]]));
    expect(terms).toEqual([
      ["kl", 0],
      ["reconstruction", 6],
    ]);
  });
});
