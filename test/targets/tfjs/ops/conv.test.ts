import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { conv2d, conv2dTranspose } from "../../../../targets/tfjs/ops/conv.js";
import { checkAgainstReference, convCaseArb } from "./conv-check.js";
import { expectClose, expectGradientMatches, randomValues, seeded, useBackend, values } from "./tf-helpers.js";

const caseArb = convCaseArb({ batch: 2, size: 9, channels: 3 });

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
    for (const [n, k, s, padding] of [
      [4, 3, 2, "same"],
      [3, 2, 3, "valid"],
      [5, 4, 2, "valid"],
      [2, 1, 3, "same"],
    ] as const) {
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
