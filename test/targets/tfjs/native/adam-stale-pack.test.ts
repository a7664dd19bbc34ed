/**
 * The native Adam writes weights in place; wasm's stock XNNPACK kernels keep
 * a packed copy of an operand keyed by its tensor id. Once such a kernel has
 * run as a fallback of the OpenBLAS ones, an in-place update would leave it
 * reading old weights: the native Adam must stand down. (Its own file: the
 * flag is process-wide.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { NativeAdamOptimizer } from "../../../../targets/tfjs/native/adam.js";
import { packingStockKernelRan } from "../../../../targets/tfjs/native/registry.js";
import { blas, skipReason } from "./native-available.js";

/**
 * a [2, 1, 3, 4] x w reshaped to [1, 2, 4, 5]: both sides broadcast, which the
 * OpenBLAS kernel leaves to the stock one (whose batch indexing for this case
 * is tfjs's own, right or wrong: the test compares the stock kernel with itself).
 */
function product(a: tf.Tensor, w: tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.matMul(a, tf.reshape(w, [1, 2, 4, 5])).dataSync()));
}

/** The same product with a new tensor of w's current values: no packed copy of it can exist. */
function freshProduct(a: tf.Tensor, w: tf.Variable): number[] {
  const fresh = tf.tensor(w.dataSync(), w.shape);
  const out = product(a, fresh);
  fresh.dispose();
  return out;
}

describe.skipIf(blas === null)(`the native Adam after a packing stock kernel${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  beforeAll(async () => {
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
  });
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("stands down, so the stock kernel reads the weights as updated", () => {
    const a = tf.tensor(
      Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [2, 1, 3, 4],
    );
    const w = tf.variable(
      tf.tensor(
        Array.from({ length: 40 }, (_, i) => Math.cos(i)),
        [2, 4, 5],
      ),
      true,
      `stale_pack_${Math.random()}`,
    );
    expect(packingStockKernelRan()).toBe(false);
    const opt = new NativeAdamOptimizer(blas!, 0.1, 0.9, 0.999, 1e-7);
    for (let step = 0; step < 3; step++) {
      expect(product(a, w), `step ${step}`).toEqual(freshProduct(a, w));
      const g = tf.onesLike(w);
      opt.applyGradients([{ name: w.name, tensor: g }]);
      g.dispose();
    }
    expect(packingStockKernelRan()).toBe(true);
    expect(opt.nativeSteps).toBe(0);
    expect(product(a, w)).toEqual(freshProduct(a, w));
    tf.dispose([a, w]);
    opt.dispose();
  });
});
