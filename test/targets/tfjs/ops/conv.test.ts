import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { conv2d, conv2dTranspose } from "../../../../targets/tfjs/ops/conv.js";
import { convOutSize, referenceConv, type ConvCase } from "./conv-reference.js";
import { expectClose, expectGradientMatches, randomValues, seeded, useBackend, values } from "./tf-helpers.js";

const caseArb: fc.Arbitrary<ConvCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    size: fc.integer({ min: 1, max: 9 }),
    cin: fc.integer({ min: 1, max: 3 }),
    cout: fc.integer({ min: 1, max: 3 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom("same" as const, "valid" as const),
  })
  .filter((c) => convOutSize(c.size, c.kernel, c.stride, c.padding) >= 1);

/**
 * Checks conv2d (y = conv(x, w)) and conv2dTranspose (the adjoint:
 * x' = convT(r, w), whose gradients are conv(r', w) and the filter gradient
 * with roles swapped) against the loop reference.
 */
function checkAgainstReference(c: ConvCase, seed: number, tol: { atol: number; rtol: number }): void {
  const rng = seeded(seed);
  const o = convOutSize(c.size, c.kernel, c.stride, c.padding);
  const xShape = [c.batch, c.size, c.size, c.cin] as [number, number, number, number];
  const yShape = [c.batch, o, o, c.cout] as [number, number, number, number];
  const wShape = [c.kernel, c.kernel, c.cin, c.cout] as [number, number, number, number];
  const xv = randomValues(xShape.reduce((a, b) => a * b), rng);
  const wv = randomValues(wShape.reduce((a, b) => a * b), rng);
  const rv = randomValues(yShape.reduce((a, b) => a * b), rng);
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
    const [dr, dwt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, c.stride, c.padding), x)))([r, w]);
    expectClose(values(dr!), ref.y, tol);
    expectClose(values(dwt!), ref.dw, tol);
  });
}

describe("conv2d and conv2dTranspose (cpu)", () => {
  beforeAll(() => useBackend("cpu"));

  it("match a loop convolution and its gradients for random geometries", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 1e6 }), (c, seed) => checkAgainstReference(c, seed, { atol: 1e-4, rtol: 1e-4 })),
      { numRuns: 60, seed: 4242 },
    );
  });

  it("transposed convolution agrees with tfjs's own conv2dTranspose, including kernel < stride and valid padding", () => {
    const rng = seeded(3);
    for (const [n, k, s, padding] of [[4, 3, 2, "same"], [3, 2, 3, "valid"], [5, 4, 2, "valid"], [2, 1, 3, "same"]] as const) {
      tf.tidy(() => {
        const out = padding === "same" ? n * s : n * s + Math.max(k - s, 0); // the IR's deconv size
        const x = tf.tensor4d(randomValues(2 * n * n * 3, rng), [2, n, n, 3]);
        const w = tf.tensor4d(randomValues(k * k * 2 * 3, rng), [k, k, 2, 3]);
        const ours = conv2dTranspose(x, w, [2, out, out, 2], s, padding);
        expectClose(values(ours), values(tf.conv2dTranspose(x, w, [2, out, out, 2], s, padding)), { atol: 1e-5, rtol: 1e-5 });
      });
    }
  });

  it("gradients agree with central finite differences", () => {
    const rng = seeded(5);
    const x = tf.tensor4d(randomValues(2 * 5 * 5 * 2, rng), [2, 5, 5, 2]);
    const w = tf.tensor4d(randomValues(3 * 3 * 2 * 3, rng), [3, 3, 2, 3]);
    expectGradientMatches((a) => conv2d(a as tf.Tensor4D, w, 2, "same"), x, rng);
    expectGradientMatches((b) => conv2d(x, b as tf.Tensor4D, 2, "same"), w, rng);
    const y = tf.tensor4d(randomValues(2 * 3 * 3 * 3, rng), [2, 3, 3, 3]);
    expectGradientMatches((a) => conv2dTranspose(a as tf.Tensor4D, w, [2, 6, 6, 2], 2, "same"), y, rng);
    expectGradientMatches((b) => conv2dTranspose(y, b as tf.Tensor4D, [2, 7, 7, 2], 2, "valid"), w, rng);
    tf.dispose([x, w, y]);
  });
});

describe("conv2d and conv2dTranspose (wasm)", () => {
  beforeAll(() => useBackend("wasm"));

  it("match the loop reference on the wasm backend (explicit padding, dilated filter gradient)", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 1e6 }), (c, seed) => checkAgainstReference(c, seed, { atol: 1e-4, rtol: 1e-4 })),
      { numRuns: 20, seed: 99 },
    );
  });
});
