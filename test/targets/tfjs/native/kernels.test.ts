import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { planGemm } from "../../../../targets/tfjs/native/kernels.js";
import { randomValues } from "../ops/tf-helpers.js";
import { blas, skipReason } from "./native-available.js";

describe("planGemm", () => {
  it("repeats the side whose batch is 1 (stride 0), walks a side as large as the output", () => {
    expect(planGemm([2, 3, 4], [4, 5], false, false)).toEqual({ batch: 2, m: 3, n: 5, k: 4, strideA: 12, strideB: 0, outShape: [2, 3, 5] });
    expect(planGemm([1, 4, 3], [2, 3, 5, 4], true, true)).toEqual({ batch: 6, m: 3, n: 5, k: 4, strideA: 0, strideB: 20, outShape: [2, 3, 3, 5] });
    expect(planGemm([7, 2], [2, 9], false, false)).toEqual({ batch: 1, m: 7, n: 9, k: 2, strideA: 7 * 2, strideB: 2 * 9, outShape: [7, 9] });
  });

  it("refuses what is more than a repeat, or does not match, for the stock kernel to handle", () => {
    expect(planGemm([2, 1, 3, 4], [1, 3, 4, 5], false, false)).toBeNull(); // both sides broadcast
    expect(planGemm([3, 4], [5, 6], false, false)).toBeNull(); // inner sizes differ
    expect(planGemm([2, 3, 4], [3, 4, 5], false, false)).toBeNull(); // batch 2 against 3
    expect(planGemm([4], [4, 5], false, false)).toBeNull(); // rank 1
  });
});

const ACTIVATIONS = ["linear", "relu", "relu6", "prelu", "leakyrelu", "sigmoid", "elu"] as const;

/** Batch dimensions of one side: the output's, all ones, or none at all. */
const sideDims = (outer: number[], how: "same" | "ones" | "none") => (how === "same" ? outer : how === "ones" ? outer.map(() => 1) : []);

const productCase = fc.record({
  outer: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
  aHow: fc.constantFrom("same", "ones", "none"),
  bHow: fc.constantFrom("same", "ones", "none"),
  m: fc.integer({ min: 1, max: 17 }),
  n: fc.integer({ min: 1, max: 17 }),
  k: fc.integer({ min: 1, max: 40 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

type ProductCase = typeof productCase extends fc.Arbitrary<infer T> ? T : never;

function operands(c: ProductCase) {
  const aShape = [...sideDims(c.outer, c.aHow), ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...sideDims(c.outer, c.bHow), ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])];
  const rng = new Rng(c.seed);
  const size = (s: number[]) => s.reduce((x, d) => x * d, 1);
  return { aShape, bShape, a: randomValues(size(aShape), rng), b: randomValues(size(bShape), rng), extra: randomValues(2 * c.n + 1, rng) };
}

/** Runs `f` on tfjs's cpu backend, then on wasm with the OpenBLAS kernels; returns both results' values and shapes. */
async function onBoth(f: () => tf.Tensor): Promise<{ cpu: tf.TypedArray; blas: tf.TypedArray; cpuShape: number[]; blasShape: number[] }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const y = f();
      return { values: y.dataSync().slice(), shape: y.shape };
    });
  };
  const c = await run("cpu");
  const b = await run("wasm");
  return { cpu: c.values, blas: b.values, cpuShape: c.shape, blasShape: b.shape };
}

function expectClose(actual: tf.TypedArray, expected: tf.TypedArray, k: number): void {
  expect(actual.length).toBe(expected.length);
  // Float32 sums of k products of values in [-1, 1], added in another order.
  const tolerance = 1e-6 * (k + 1);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tolerance) expect.fail(`element ${i}: ${actual[i]} against cpu ${expected[i]} (tolerance ${tolerance})`);
  }
}

describe.skipIf(blas === null)(`the OpenBLAS kernels of wasm+blas against the cpu backend${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  let gemm: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
    await tf.setBackend("cpu"); // initialised too, so onBoth only switches
    gemm = vi.spyOn(blas!, "gemm");
  });

  afterAll(async () => {
    gemm.mockRestore();
    await selectBackend("wasm");
  });

  it("BatchMatMul: random shapes, transposes, batches and one-sided broadcasting", async () => {
    await fc.assert(
      fc.asyncProperty(productCase, async (c) => {
        const o = operands(c);
        const calls = gemm.mock.calls.length;
        const r = await onBoth(() => tf.matMul(tf.tensor(o.a, o.aShape), tf.tensor(o.b, o.bShape), c.transposeA, c.transposeB));
        expect(r.blasShape).toEqual(r.cpuShape);
        expectClose(r.blas, r.cpu, c.k);
        expect(gemm.mock.calls.length).toBe(calls + 1); // the native kernel ran, not the stock fallback
      }),
      { numRuns: 150 },
    );
  });

  it("_FusedMatMul: with and without bias (per column or one value), every activation", async () => {
    const fusedCase = fc.record({
      product: productCase,
      bias: fc.constantFrom("none", "column", "row", "scalar"),
      activation: fc.constantFrom(...ACTIVATIONS),
      preluWeights: fc.constantFrom("column", "scalar"),
      leakyreluAlpha: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(fusedCase, async (c) => {
        const o = operands(c.product);
        const n = c.product.n;
        const biasShape = { none: null, column: [n], row: [1, n], scalar: [] }[c.bias];
        const prelu = c.preluWeights === "column" ? [n] : [];
        const calls = gemm.mock.calls.length;
        const r = await onBoth(() =>
          tf.fused.matMul({
            a: tf.tensor(o.a, o.aShape),
            b: tf.tensor(o.b, o.bShape),
            transposeA: c.product.transposeA,
            transposeB: c.product.transposeB,
            ...(biasShape === null ? {} : { bias: tf.tensor(o.extra.slice(0, biasShape.length === 0 ? 1 : n), biasShape) }),
            activation: c.activation,
            ...(c.activation === "prelu" ? { preluActivationWeights: tf.tensor(o.extra.slice(n, prelu.length === 0 ? n + 1 : 2 * n), prelu) } : {}),
            leakyreluAlpha: c.leakyreluAlpha,
          }),
        );
        expect(r.blasShape).toEqual(r.cpuShape);
        expectClose(r.blas, r.cpu, c.product.k);
        expect(gemm.mock.calls.length).toBe(calls + 1);
      }),
      { numRuns: 150 },
    );
  });

  it("Sum: leading axes natively, every other reduction by the stock kernel, same values", async () => {
    const sumRows = vi.spyOn(blas!, "sumRows");
    try {
      const sumCase = fc.record({
        shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        axesPick: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        negative: fc.boolean(),
        keepDims: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1e6 }),
      });
      await fc.assert(
        fc.asyncProperty(sumCase, async (c) => {
          const rank = c.shape.length;
          const axes = c.shape.map((_, i) => i).filter((i) => c.axesPick[i]);
          const x = randomValues(
            c.shape.reduce((a, d) => a * d, 1),
            new Rng(c.seed),
          );
          const calls = sumRows.mock.calls.length;
          const given = c.negative ? axes.map((a) => a - rank) : axes; // tfjs accepts -1 for the last axis
          const r = await onBoth(() => tf.sum(tf.tensor(x, c.shape), given, c.keepDims));
          expect(r.blasShape).toEqual(r.cpuShape);
          expectClose(r.blas, r.cpu, x.length);
          const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
          expect(sumRows.mock.calls.length).toBe(calls + (leading ? 1 : 0));
        }),
        { numRuns: 150 },
      );
    } finally {
      sumRows.mockRestore();
    }
  });

  it("activations at their edges: NaN passes through, sigmoid saturates without overflow", async () => {
    const a = new Float32Array([NaN, -1e4, 1e4, 0, -0.5, 7]);
    for (const activation of ACTIVATIONS) {
      const r = await onBoth(() =>
        tf.fused.matMul({
          a: tf.tensor(a, [6, 1]),
          b: tf.tensor([1], [1, 1]),
          activation,
          ...(activation === "prelu" ? { preluActivationWeights: tf.scalar(0.25) } : {}),
          leakyreluAlpha: 0.1,
        }),
      );
      expect(Array.from(r.blas, Number.isNaN), activation).toEqual(Array.from(r.cpu, Number.isNaN));
      // cpu's exp is JavaScript's, in double precision: one float32 rounding apart.
      r.cpu.forEach((v, i) => expect(Math.abs(r.blas[i]! - v), `${activation}(${a[i]})`).not.toBeGreaterThan(1e-6 * Math.max(1, Math.abs(v))));
    }
  });

  it("falls back to the stock kernel (same behaviour, no native call) for a bias that is not per column", async () => {
    await tf.setBackend("wasm");
    const calls = gemm.mock.calls.length;
    expect(() => tf.tidy(() => tf.fused.matMul({ a: tf.ones([2, 3]), b: tf.ones([3, 4]), bias: tf.ones([2, 4]) }))).toThrow(/rank-1 bias/);
    expect(gemm.mock.calls.length).toBe(calls);
  });

  it("puts the stock kernels back for plain wasm, and swaps again for wasm+blas", async () => {
    const product = () =>
      tf.tidy(() =>
        tf
          .matMul(tf.ones([2, 3]), tf.ones([3, 2]))
          .dataSync()
          .slice(),
      );
    await selectBackend("wasm");
    const calls = gemm.mock.calls.length;
    expect(Array.from(product())).toEqual([3, 3, 3, 3]);
    expect(gemm.mock.calls.length).toBe(calls);
    await selectBackend("wasm+blas");
    expect(Array.from(product())).toEqual([3, 3, 3, 3]);
    expect(gemm.mock.calls.length).toBe(calls + 1);
  });
});
