import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { blas, skipReason } from "./native-available.js";

/** A shape of rank 1 to 5 and, per axis, a begin and a size inside it. */
const sliceCase = fc.array(fc.record({ dim: fc.integer({ min: 1, max: 6 }), a: fc.nat(), b: fc.nat() }), { minLength: 1, maxLength: 5 }).map((axes) => ({
  shape: axes.map((x) => x.dim),
  begin: axes.map((x) => x.a % x.dim),
  size: axes.map((x) => 1 + (x.b % (x.dim - (x.a % x.dim)))),
}));

describe.skipIf(blas === null)(`Slice on wasm+blas${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  let calls: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
    calls = vi.spyOn(blas!, "slice");
  });

  afterAll(async () => {
    calls.mockRestore();
    await selectBackend("wasm");
  });

  it("cuts exactly what tf.slice cuts on the cpu backend; contiguous slices stay stock", async () => {
    let native = 0;
    await fc.assert(
      fc.asyncProperty(sliceCase, async ({ shape, begin, size }) => {
        const n = shape.reduce((a, d) => a * d, 1);
        const values = Float32Array.from({ length: n }, (_, i) => i + 0.5);
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() => tf.slice(tf.tensor(values, shape), begin, size).dataSync().slice());
        };
        const cpu = await run("cpu");
        const before = calls.mock.calls.length;
        const ours = await run("wasm");
        expect(Array.from(ours)).toEqual(Array.from(cpu));
        const contiguous = tf.slice_util.isSliceContinous(shape, begin, size);
        expect(calls.mock.calls.length - before).toBe(contiguous ? 0 : 1);
        if (!contiguous) native++;
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(native).toBeGreaterThan(100);
  });

  it("refuses a crop that does not fit, instead of reading past x", () => {
    expect(() => blas!.slice(new Float32Array(6), new Float32Array(4), [2, 3], [1, 1], [2, 2])).toThrow(/exceeds/);
    expect(() => blas!.slice(new Float32Array(5), new Float32Array(4), [2, 3], [0, 0], [2, 2])).toThrow(/shorter/);
  });
});
