/**
 * The check shared by the conv tests of every backend: the repo's conv2d and
 * conv2dTranspose ops, forward and both gradients, against the loop
 * reference of conv-reference.ts, on random geometries.
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { expect } from "vitest";
import { conv2d, conv2dTranspose } from "../../../../targets/tfjs/ops/conv.js";
import { convOutSize, referenceConv, type ConvCase } from "./conv-reference.js";
import { expectClose, randomValues, seeded, values } from "./tf-helpers.js";

/** Square geometries up to the given sizes, both paddings, strides 1 to 3, kernels 1 to 5 (also smaller than the stride). */
export function convCaseArb(max: { readonly batch: number; readonly size: number; readonly channels: number }): fc.Arbitrary<ConvCase> {
  return fc
    .record({
      batch: fc.integer({ min: 1, max: max.batch }),
      size: fc.integer({ min: 1, max: max.size }),
      cin: fc.integer({ min: 1, max: max.channels }),
      cout: fc.integer({ min: 1, max: max.channels }),
      kernel: fc.integer({ min: 1, max: 5 }),
      stride: fc.integer({ min: 1, max: 3 }),
      padding: fc.constantFrom("same" as const, "valid" as const),
    })
    .filter((c) => convOutSize(c.size, c.kernel, c.stride, c.padding) >= 1);
}

/**
 * Checks conv2d (y = conv(x, w)) and conv2dTranspose (the adjoint:
 * x' = convT(r, w), whose gradients are conv(r', w) and the filter gradient
 * with roles swapped) against the loop reference, on the current backend.
 */
export function checkAgainstReference(c: ConvCase, seed: number, tol: { atol: number; rtol: number }): void {
  const rng = seeded(seed);
  const o = convOutSize(c.size, c.kernel, c.stride, c.padding);
  const xShape = [c.batch, c.size, c.size, c.cin] as [number, number, number, number];
  const yShape = [c.batch, o, o, c.cout] as [number, number, number, number];
  const wShape = [c.kernel, c.kernel, c.cin, c.cout] as [number, number, number, number];
  const xv = randomValues(
    xShape.reduce((a, b) => a * b),
    rng,
  );
  const wv = randomValues(
    wShape.reduce((a, b) => a * b),
    rng,
  );
  const rv = randomValues(
    yShape.reduce((a, b) => a * b),
    rng,
  );
  const ref = referenceConv(c, xv, wv, rv);
  tf.tidy(() => {
    const x = tf.tensor4d(xv, xShape);
    const w = tf.tensor4d(wv, wShape);
    const r = tf.tensor4d(rv, yShape);
    const y = conv2d(x, w, c.stride, c.padding);
    expect(y.shape).toEqual(yShape);
    expectClose(values(y), ref.y, tol);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.padding), r)))([x, w]);
    expectClose(values(dx!), ref.dx, tol);
    expectClose(values(dw!), ref.dw, tol);

    // The transposed convolution of r is the reference's dx; with loss sum(x' * x),
    // its gradients are conv(x, w) = y (for r) and the reference's dw (for w).
    const t = conv2dTranspose(r, w, xShape, c.stride, c.padding);
    expectClose(values(t), ref.dx, tol);
    const [dr, dwt] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, c.stride, c.padding), x)),
    )([r, w]);
    expectClose(values(dr!), ref.y, tol);
    expectClose(values(dwt!), ref.dw, tol);
  });
}
