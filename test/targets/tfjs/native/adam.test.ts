import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { NativeAdamOptimizer } from "../../../../targets/tfjs/native/adam.js";
import { makeOptimizer } from "../../../../targets/tfjs/train/optimizers.js";
import { randomValues } from "../ops/tf-helpers.js";
import { blas, skipReason } from "./native-available.js";

const SHAPES = [[7, 5], [5], [3, 2, 4]];
const STEPS = 25;

/**
 * Runs `opt` for STEPS steps of fixed pseudo-random gradients on fresh
 * variables: their values and second moments after, and (with `share`) the
 * values a reshape of the first variable, made before each step, held after it.
 */
function run(opt: tf.AdamOptimizer, share = false) {
  const rng = new Rng(5);
  const vars = SHAPES.map((s, i) =>
    tf.variable(
      tf.tensor(
        randomValues(
          s.reduce((a, d) => a * d, 1),
          rng,
        ),
        s,
      ),
      true,
      `adam_test_${i}_${Math.random()}`,
    ),
  );
  let sharedStayed = true;
  for (let step = 0; step < STEPS; step++) {
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.tensor(randomValues(v.size, rng, step % 3 === 0 ? 10 : 0.01), v.shape) }));
    // A reshape shares its variable's buffer; tfjs tensors never change, so it must keep the old values.
    const shared = share ? tf.reshape(vars[0]!, [-1]) : null;
    const before = shared === null ? null : Array.from(shared.dataSync());
    opt.applyGradients(grads);
    if (shared !== null) sharedStayed &&= Array.from(shared.dataSync()).every((x, i) => x === before![i]);
    tf.dispose([...grads.map((g) => g.tensor), ...(shared === null ? [] : [shared])]);
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  const moments = tf.tidy(() =>
    (opt as unknown as { accumulatedSecondMoment: { variable: tf.Variable }[] }).accumulatedSecondMoment.map((m) => Array.from(m.variable.dataSync())),
  );
  tf.dispose(vars);
  opt.dispose();
  return { values, moments, sharedStayed };
}

describe.skipIf(blas === null)(`the native Adam of wasm+blas${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  beforeAll(async () => {
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
  });
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("gives tfjs's Adam's weights and moments bit for bit, step after step", () => {
    const stock = run(tf.train.adam(0.01, 0.9, 0.999, 1e-7));
    const native = new NativeAdamOptimizer(blas!, 0.01, 0.9, 0.999, 1e-7);
    const mine = run(native);
    expect(native.nativeSteps).toBe(STEPS - 1); // the first step creates the moments the stock way
    expect(mine.values).toEqual(stock.values);
    expect(mine.moments).toEqual(stock.moments);
    expect(stock.values[0]).not.toEqual(run(tf.train.adam(0.02, 0.9, 0.999, 1e-7)).values[0]); // and the comparison can tell
  });

  it("falls back to the stock update while another tensor shares a variable's buffer", () => {
    const native = new NativeAdamOptimizer(blas!, 0.01, 0.9, 0.999, 1e-7);
    const mine = run(native, true);
    expect(native.nativeSteps).toBe(0);
    expect(native.stockSteps).toBe(STEPS);
    expect(mine.sharedStayed).toBe(true);
    expect(mine.values).toEqual(run(tf.train.adam(0.01, 0.9, 0.999, 1e-7)).values);
  });

  it("is what the trainer's Adam is on wasm+blas, and not on plain wasm", async () => {
    const adam = { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as Parameters<typeof makeOptimizer>[0];
    // By constructor: tfjs's Optimizer answers `instanceof` for any optimizer.
    const native = makeOptimizer(adam);
    expect(native.constructor).toBe(NativeAdamOptimizer);
    native.dispose();
    await selectBackend("wasm");
    const stock = makeOptimizer(adam);
    expect(stock.constructor).toBe(tf.AdamOptimizer);
    stock.dispose();
    await selectBackend("wasm+blas");
  });
});
