import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { BERNOULLI_CLIP, clipProbabilities } from "../../../../targets/tfjs/train/losses/reconstruction.js";
import { WASM_PATHS } from "./native-available.js";

/**
 * The Bernoulli loss's clip has a cheaper hand-written gradient (issue 7:
 * fewer kernels in a step): values and gradient must be tfjs's clipByValue's,
 * inside, outside, on the bounds and at NaN.
 */
const HI = Math.fround(1 - BERNOULLI_CLIP);
const special = fc.constantFrom(0, 1, -1, 2, BERNOULLI_CLIP, Math.fround(BERNOULLI_CLIP), HI, Math.fround(HI - 1e-7), Number.NaN, 0.5);
const values = fc.array(fc.oneof(special, fc.float({ min: -0.5, max: 1.5, noNaN: true })), { minLength: 1, maxLength: 40 });

describe.each(["cpu", ...WASM_PATHS] as const)("clipProbabilities on %s", (backend) => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("gives clipByValue's values and gradient for any input and upstream gradient", async () => {
    const s = await selectBackend(backend);
    if (s.error !== null) throw new Error(s.error);
    let clipped = 0;
    fc.assert(
      fc.property(values, fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 40, maxLength: 40 }), (v, w) => {
        const x = tf.tensor1d(v);
        const weights = tf.tensor1d(w.slice(0, v.length));
        const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(clipProbabilities(t), weights)))(x);
        const stock = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.clipByValue(t, BERNOULLI_CLIP, 1 - BERNOULLI_CLIP), weights)))(x);
        const fwd = (t: tf.Tensor) => tf.tidy(() => Array.from(t.dataSync()));
        expect(fwd(clipProbabilities(x))).toEqual(fwd(tf.clipByValue(x, BERNOULLI_CLIP, 1 - BERNOULLI_CLIP)));
        // Equal as numbers: 0 and -0 (a negative weight times a closed gate) are the same gradient.
        const a = fwd(ours.grad).map((g) => g + 0);
        const b = fwd(stock.grad).map((g) => g + 0);
        expect(a).toEqual(b);
        clipped += v.filter((e) => Number.isNaN(e) || e < BERNOULLI_CLIP || e > HI).length;
        tf.dispose([x, weights, ours.value, ours.grad, stock.value, stock.grad]);
      }),
      { numRuns: 100, seed: 11 },
    );
    expect(clipped).toBeGreaterThan(20); // the generator does reach the clipped side
  });
});
