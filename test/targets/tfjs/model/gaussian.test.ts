import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, expect, it } from "vitest";
import { createModel, type TfjsModel } from "../../../../targets/tfjs/model/build.js";
import { irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const UNITS = 3;
const vae = () =>
  createModel(
    irOf(`model g {
  input: [4]
  encoder { dense(5) tanh }
  bottleneck: gaussian(${UNITS})
  decoder { dense(4) }
  loss { reconstruction(mse) kl() }
}`),
    seeded(1),
  );

/** The same example `n` times. */
const repeated = (n: number) => tf.tile(randomTensor([1, 4], seeded(2)), [n, 1]);

function latentOf(model: TfjsModel, x: tf.Tensor, training: boolean, seed: number) {
  return tf.tidy(() => {
    const f = model.forward(x, { training, rng: seeded(seed) });
    return { latent: values(f.latent), mean: values(f.gaussian!.mean), logVar: values(f.gaussian!.logVar) };
  });
}

it("returns the mean itself at evaluation", () => {
  const model = vae();
  const x = randomTensor([5, 4], seeded(3));
  const f = latentOf(model, x, false, 1);
  expect(f.latent).toEqual(f.mean);
  model.dispose();
});

it("samples with mean `mean` and variance exp(logVar) in training", () => {
  const model = vae();
  const n = 4000;
  const f = latentOf(model, repeated(n), true, 4);
  for (let u = 0; u < UNITS; u++) {
    const mean = f.mean[u]!;
    const variance = Math.exp(f.logVar[u]!);
    const draws = Array.from({ length: n }, (_, i) => f.latent[i * UNITS + u]!);
    const m = draws.reduce((a, b) => a + b, 0) / n;
    const v = draws.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    // 5 standard errors: the mean's is sqrt(var / n), the variance's about var sqrt(2 / n).
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
    expect(Math.abs(v - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / n));
  }
  model.dispose();
});

it("draws the same samples from the same Rng seed, others from another", () => {
  const model = vae();
  const x = repeated(8);
  const a = latentOf(model, x, true, 7).latent;
  const b = latentOf(model, x, true, 7).latent;
  const c = latentOf(model, x, true, 8).latent;
  expect(a).toEqual(b);
  expect(a).not.toEqual(c);
  model.dispose();
});
