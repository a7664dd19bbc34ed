import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIVATIONS, type ActivationFn, type BatchNorm, type LayerNorm } from "../../../../src/ir/layers.js";
import { ACTIVATION_FUNCTIONS } from "../../../../targets/tfjs/model/activations.js";
import { linearInit } from "../../../../targets/tfjs/model/init.js";
import { LAYER_BUILDERS } from "../../../../targets/tfjs/model/layers.js";
import { VariableStore } from "../../../../targets/tfjs/model/variables.js";
import { expectClose, irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const norms = () =>
  irOf(`model n {
  input: [2, 3, 4]
  encoder { batchnorm(momentum: 0.9, epsilon: 0.01) layernorm(epsilon: 0.001) }
  bottleneck: deterministic(2)
  decoder { flatten dense(24) reshape([2, 3, 4]) }
  loss { reconstruction(mse) }
}`).encoder;

/** Per-channel (last axis) mean and biased variance of a [..., c] array. */
function channelStats(v: number[], c: number) {
  const n = v.length / c;
  const mean = Array.from({ length: c }, (_, j) => v.filter((_, i) => i % c === j).reduce((a, b) => a + b, 0) / n);
  const variance = mean.map((m, j) => v.filter((_, i) => i % c === j).reduce((a, b) => a + (b - m) ** 2, 0) / n);
  return { mean, variance };
}

describe("batchnorm", () => {
  it("normalises with batch statistics in training, updates moving statistics in afterStep, uses them at evaluation", () => {
    const layer = norms()[0] as BatchNorm;
    const store = new VariableStore();
    const part = LAYER_BUILDERS.batchnorm(layer, { prefix: "encoder.0", store, rng: seeded(1), init: linearInit("torch") });
    const x = tf.add(tf.mul(randomTensor([5, 2, 3, 4], seeded(2)), 3), 1);
    const xv = values(x);
    const { mean, variance } = channelStats(xv, 4);
    const train = tf.tidy(() => values(part.apply(x, { training: true, rng: seeded(3) })));
    expectClose(
      train,
      xv.map((v, i) => (v - mean[i % 4]!) / Math.sqrt(variance[i % 4]! + 0.01)),
      { atol: 1e-5, rtol: 1e-4 },
    );

    const [movingMean, movingVariance] = store.state.map((s) => s.variable);
    expect(values(movingMean!)).toEqual([0, 0, 0, 0]); // untouched until afterStep
    part.afterStep!(seeded(4));
    const mm = mean.map((m) => 0.1 * m);
    const mv = variance.map((v) => 0.9 + 0.1 * v);
    expectClose(values(movingMean!), mm, { atol: 1e-6, rtol: 1e-5 });
    expectClose(values(movingVariance!), mv, { atol: 1e-6, rtol: 1e-5 });
    part.afterStep!(seeded(4)); // nothing pending: no second update
    expectClose(values(movingMean!), mm, { atol: 1e-6, rtol: 1e-5 });

    const evaluation = tf.tidy(() => values(part.apply(x, { training: false, rng: seeded(3) })));
    expectClose(
      evaluation,
      xv.map((v, i) => (v - mm[i % 4]!) / Math.sqrt(mv[i % 4]! + 0.01)),
      { atol: 1e-5, rtol: 1e-4 },
    );
    store.dispose();
  });
});

describe("layernorm", () => {
  it("normalises each position's last axis, in training and evaluation alike", () => {
    const layer = norms()[1] as LayerNorm;
    const store = new VariableStore();
    const part = LAYER_BUILDERS.layernorm(layer, { prefix: "encoder.1", store, rng: seeded(1), init: linearInit("torch") });
    const x = randomTensor([3, 2, 3, 4], seeded(2), 5);
    const xv = values(x);
    const want = xv.map((v, i) => {
      const row = xv.slice(i - (i % 4), i - (i % 4) + 4);
      const m = row.reduce((a, b) => a + b, 0) / 4;
      const s = row.reduce((a, b) => a + (b - m) ** 2, 0) / 4;
      return (v - m) / Math.sqrt(s + 0.001);
    });
    for (const training of [true, false]) {
      expectClose(
        tf.tidy(() => values(part.apply(x, { training, rng: seeded(3) }))),
        want,
        { atol: 1e-5, rtol: 1e-4 },
      );
    }
    store.dispose();
  });
});

/** erf to about 1e-7 (Abramowitz and Stegun 7.1.26). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const REFERENCE: Record<ActivationFn, (x: number) => number> = {
  relu: (x) => Math.max(x, 0),
  leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  // The exact form; the tanh approximation differs by up to 2e-4 here.
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => Math.log1p(Math.exp(x)),
};

describe("activations", () => {
  it.each(ACTIVATIONS)("%s matches its formula", (fn) => {
    const xs = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);
    const got = tf.tidy(() => values(ACTIVATION_FUNCTIONS[fn](tf.tensor(xs), 0.2)));
    expectClose(got, xs.map(REFERENCE[fn]), { atol: 2e-6, rtol: 1e-5 });
  });
});
