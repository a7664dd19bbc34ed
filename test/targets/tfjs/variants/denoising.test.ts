/**
 * Denoising autoencoders (`corrupt: gaussian | dropout | saltpepper`): the
 * corruption reaches the encoder in training only, the loss compares the
 * reconstruction with the clean input, evaluation is exactly the uncorrupted
 * model, and the trainer's validation measures the training objective (the
 * input corrupted from its own stream). noise.test.ts checks the
 * corruptions' moments on a small model; here, on specs/deep.aespec's
 * denoising model with its declared range, their distribution and
 * independence between steps and examples.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadData } from "../../../../src/data/load.js";
import { Rng } from "../../../../src/data/rng.js";
import { splitValidation } from "../../../../src/data/split.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { reconstructionLoss } from "../../../../targets/tfjs/train/losses/reconstruction.js";
import { disposeOptimizer, makeOptimizer } from "../../../../targets/tfjs/train/optimizers.js";
import { evalBatch, trainStep } from "../../../../targets/tfjs/train/step.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { batchTensor } from "../../../../targets/tfjs/train/batches.js";
import { irOf, useCpu } from "../train/helpers.js";
import { copyWeights, deepModel, expectShortRunTrains, numbers, tidyValue, weights } from "./helpers.js";

beforeAll(useCpu);

/** A small conv model on 8x8 sprites; `corrupt` may be empty (the uncorrupted twin). */
const small = (corrupt: string, loss = "reconstruction(mse)") => `model m {
  input: [8, 8, 1] in [0, 1]
  ${corrupt}
  encoder {
    conv(3, kernel: 3, stride: 2) relu
    flatten
    dense(6) tanh
  }
  bottleneck: deterministic(3)
  decoder {
    dense(64) sigmoid
    reshape([8, 8, 1])
  }
  loss { ${loss} }
  train {
    data: sprites(size: 8, count: 64)
    optimizer: adam(lr: 1e-2)
    batch: 16
    epochs: 1
    seed: 2
    validation: 0.25
  }
}
`;

/** Every corruption kind, with the loss its model trains (a mask needs `on: masked`). */
const KINDS: readonly [string, string, string][] = [
  ["gaussian", "corrupt: gaussian(sigma: 0.5)", "reconstruction(mse)"],
  ["dropout", "corrupt: dropout(0.5)", "reconstruction(mse)"],
  ["saltpepper", "corrupt: saltpepper(0.5)", "reconstruction(mse)"],
  ["mask", "corrupt: mask(patch: 4, ratio: 0.5)", "reconstruction(mse, on: masked)"],
];
const DENOISING = KINDS.slice(0, 3);

const twinIr = () => irOf(small(""));
/** Uniform in [0.1, 0.9): away from 0 and 1, so zeroed and replaced entries are told apart from kept ones. */
const inputs = (shape: number[], seed: number) => tf.tidy(() => tf.add(0.1, tf.mul(0.8, tf.randomUniform(shape, 0, 1, "float32", seed))));

/** Within 5 standard errors of a binomial proportion. */
function expectFraction(count: number, n: number, p: number): void {
  expect(Math.abs(count / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Per example, the feature sum of (a - b)^2, then the batch mean: the mse term computed by hand. */
function handMse(a: Float64Array, b: Float64Array, batch: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / batch;
}

const relClose = (a: number, b: number, rel = 1e-5) => Math.abs(a - b) <= rel * Math.abs(b);

describe("evaluation never corrupts; validation measures the corrupted objective", () => {
  it.each(KINDS)(
    "%s: the evaluation forward equals the uncorrupted twin's exactly and draws nothing; evalBatch corrupts from its stream",
    async (_kind, corrupt, loss) => {
      const ir = irOf(small(corrupt, loss));
      const m = createModel(ir, new Rng(5, "init"));
      const twin = createModel(twinIr(), new Rng(5, "init"));
      // The corruption holds no weights: one init stream gives both the same ones.
      expect(weights(m)).toEqual(weights(twin));
      const x = inputs([16, 8, 8, 1], 1);
      const rng = new Rng(9, "evaluation");
      const before = rng.state();
      tf.tidy(() => {
        const f = m.forward(x, { training: false, rng });
        const g = twin.forward(x, { training: false, rng: new Rng(10) });
        expect(Array.from(f.latent.dataSync())).toEqual(Array.from(g.latent.dataSync()));
        expect(Array.from(f.reconstruction.dataSync())).toEqual(Array.from(g.reconstruction.dataSync()));
        // The test can fail: in training the same model's output is another.
        const t = m.forward(x, { training: true, rng: new Rng(9, "train") });
        expect(Array.from(t.reconstruction.dataSync())).not.toEqual(Array.from(g.reconstruction.dataSync()));
      });
      expect(rng.state()).toEqual(before);
      // evalBatch: the objective, the corruption drawn from the stream it is given.
      const replayed = tidyValue(() => {
        const f = m.forward(x, { training: false, corrupt: true, rng: Rng.fromState(before) });
        const hidden = (f as { hidden?: tf.Tensor | null }).hidden ?? null;
        return reconstructionLoss(ir.losses[0]!.kind === "reconstruction" ? ir.losses[0]!.likelihood : "mse", x, f.reconstruction, hidden).dataSync()[0]!;
      });
      const a = await evalBatch({ model: m, ir, x, rng, stats: null });
      const clean = await evalBatch({ model: twin, ir: twin.ir, x, rng: new Rng(11), stats: null });
      expect(a.ok).toBe(true);
      expect(relClose(a.losses.total, replayed), `validation ${a.losses.total}, replayed ${replayed}`).toBe(true);
      // The tiny model barely reads its input (a few parts in 10^4 between the two), but far more than the 1e-5 above.
      expect(Math.abs(a.losses.total - clean.losses.total), `validation ${a.losses.total}, clean ${clean.losses.total}`).toBeGreaterThan(
        1e-4 * clean.losses.total,
      );
      x.dispose();
      m.dispose();
      twin.dispose();
    },
  );

  it.each(KINDS)(
    "%s: the trainer's validation loss is the objective of the trained weights, corrupted from the epoch's evaluation stream",
    async (_kind, corrupt, loss) => {
      const ir = irOf(small(corrupt, loss));
      const r = await train(ir);
      expect(r.status).toBe("completed");
      const reported = r.history[0]!.validation!.total;
      // The trainer's split, redone: the "validation" stream of the seed.
      const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
      if (!loaded.ok) throw new Error(loaded.diagnostic.message);
      const held = splitValidation(loaded.value.train, ir.train.validation, new Rng(ir.train.seed, "validation")).validation;
      expect(held.count).toBe(16); // 64 x 0.25: one batch
      const xs = batchTensor(held, null, 0, held.count);
      const twin = createModel(twinIr(), new Rng(0));
      copyWeights(r.model!, twin);
      const clean = tf.tidy(() => reconstructionLoss("mse", xs, twin.forward(xs, { training: false, rng: new Rng(0) }).reconstruction).dataSync()[0]!);
      // The first epoch validates with the stream "evaluation/0" of the seed (train/epoch-loop.ts).
      const corrupted = tf.tidy(() => {
        const f = r.model!.forward(xs, { training: false, corrupt: true, rng: new Rng(ir.train.seed, "evaluation/0") });
        const hidden = (f as { hidden?: tf.Tensor | null }).hidden ?? null;
        return reconstructionLoss("mse", xs, f.reconstruction, hidden).dataSync()[0]!;
      });
      expect(relClose(reported, corrupted), `validation ${reported}, corrupted ${corrupted}`).toBe(true);
      expect(Math.abs(corrupted - clean), `corrupted ${corrupted}, clean ${clean}`).toBeGreaterThan(1e-4 * clean);
      xs.dispose();
      twin.dispose();
      r.model!.dispose();
    },
  );
});

describe("the encoder reads the corrupted input, the loss the clean one", () => {
  it.each(DENOISING)(
    "%s: a training step's loss is the clean input's error, and the latent is the encoder of the corrupted input",
    async (_kind, corrupt, loss) => {
      const ir = irOf(small(corrupt, loss));
      const m = createModel(ir, new Rng(5, "init"));
      const twin = createModel(twinIr(), new Rng(5, "init"));
      const x = inputs([16, 8, 8, 1], 2);
      const stream = new Rng(21, "train");
      const state = stream.state();
      // The step's forward pass replayed from the same stream, before the step moves the weights.
      const replay = tidyValue(() => {
        const f = m.forward(x, { training: true, rng: Rng.fromState(state) });
        const seenByEncoder = twin.forward(f.encoderInput, { training: false, rng: new Rng(0) });
        expect(Array.from(f.latent.dataSync())).toEqual(Array.from(seenByEncoder.latent.dataSync()));
        return { clean: numbers(x), corrupted: numbers(f.encoderInput), r: numbers(f.reconstruction) };
      });
      expect(replay.corrupted).not.toEqual(replay.clean);
      const optimizer = makeOptimizer(ir.train.optimizer);
      const out = await trainStep({ model: m, ir, optimizer, x, rng: Rng.fromState(state), progress: 0, stats: null });
      const againstClean = handMse(replay.clean, replay.r, 16);
      const againstCorrupted = handMse(replay.corrupted, replay.r, 16);
      expect(relClose(out.losses.total, againstClean), `step ${out.losses.total}, clean ${againstClean}`).toBe(true);
      expect(Math.abs(againstCorrupted - againstClean)).toBeGreaterThan(0.1 * againstClean);
      disposeOptimizer(optimizer);
      x.dispose();
      m.dispose();
      twin.dispose();
    },
  );
});

describe("specs/deep.aespec denoising: the corruption's distribution at the spec's arguments", () => {
  const BATCH = 64;
  const N = BATCH * 28 * 28;

  /** Two consecutive training passes on one stream (two steps), as [input, encoder input] values. */
  function twoSteps(overrides: readonly string[] = []) {
    const m = createModel(deepModel("denoising", overrides), new Rng(1, "init"));
    const x = inputs([BATCH, 28, 28, 1], 3);
    const rng = new Rng(4, "train");
    const steps = [0, 1].map(() => tidyValue(() => numbers(m.forward(x, { training: true, rng }).encoderInput)));
    const clean = numbers(x);
    x.dispose();
    m.dispose();
    return { clean, steps };
  }

  it("gaussian(sigma: 0.3): mean 0, variance 0.09, normal quantiles, fresh at every step and independent between examples", () => {
    const ir = deepModel("denoising");
    expect(ir.corruption).toMatchObject({ kind: "gaussian_noise", sigma: 0.3 });
    const { clean, steps } = twoSteps();
    const noise = steps.map((s) => s.map((v, i) => v - clean[i]!));
    const n = noise[0]!;
    const mean = n.reduce((a, b) => a + b, 0) / N;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean)).toBeLessThan((5 * 0.3) / Math.sqrt(N));
    expect(Math.abs(variance - 0.09)).toBeLessThan(5 * 0.09 * Math.sqrt(2 / (N - 1)));
    // P(|Z| < 1) and P(|Z| < 2) of a standard normal.
    expectFraction(n.filter((v) => Math.abs(v) < 0.3).length, N, 0.682689);
    expectFraction(n.filter((v) => Math.abs(v) < 0.6).length, N, 0.9545);
    expect(Math.abs(correlation(noise[0]!, noise[1]!))).toBeLessThan(5 / Math.sqrt(N));
    const per = 28 * 28;
    expect(Math.abs(correlation(n.subarray(0, per), n.subarray(per, 2 * per)))).toBeLessThan(5 / Math.sqrt(per));
  });

  it("dropout(0.3): a fraction 0.3 zeroed, the rest unchanged, drawn afresh at every step", () => {
    const { clean, steps } = twoSteps(["corrupt=dropout(0.3)"]);
    const dropped = steps.map((s) => s.map((v) => (v === 0 ? 1 : 0)));
    steps.forEach((s) => expect(s.every((v, i) => v === 0 || v === clean[i])).toBe(true));
    expectFraction(
      dropped[0]!.reduce((a, b) => a + b, 0),
      N,
      0.3,
    );
    // Independent steps: both drop an entry with probability 0.3^2.
    expectFraction(
      dropped[0]!.reduce((a, d, i) => a + d * dropped[1]![i]!, 0),
      N,
      0.09,
    );
  });

  it("saltpepper(0.2): a fraction 0.2 replaced by the declared range's ends 0 and 1, half each, drawn afresh at every step", () => {
    const ir = deepModel("denoising", ["corrupt=saltpepper(0.2)"]);
    expect(ir.input.range).toEqual([0, 1]);
    const { clean, steps } = twoSteps(["corrupt=saltpepper(0.2)"]);
    const replaced = steps.map((s) => s.map((v, i) => (v === clean[i] ? 0 : 1)));
    steps.forEach((s) => expect(s.every((v, i) => v === clean[i] || v === 0 || v === 1)).toBe(true));
    const low = steps[0]!.filter((v) => v === 0).length;
    const high = steps[0]!.filter((v) => v === 1).length;
    expectFraction(low + high, N, 0.2);
    expectFraction(low, low + high, 0.5);
    expectFraction(
      replaced[0]!.reduce((a, d, i) => a + d * replaced[1]![i]!, 0),
      N,
      0.04,
    );
  });
});

describe("specs/deep.aespec denoising trains", () => {
  it("a short run (4 steps on 64 MNIST images): completed, finite losses, every variable moved", async () => {
    await expectShortRunTrains("denoising");
  });
});
