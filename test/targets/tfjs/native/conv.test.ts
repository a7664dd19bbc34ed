import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { convGeometry } from "../../../../targets/tfjs/native/conv-kernel.js";
import { checkAgainstReference, convCaseArb } from "../ops/conv-check.js";
import { expectClose, randomValues } from "../ops/tf-helpers.js";
import { blas, skipReason } from "./native-available.js";

const NHWC = { dataFormat: "NHWC" as const };

describe("convGeometry", () => {
  it("places SAME windows as tfjs does (the extra row after), and leaves channels-first to the stock kernel", () => {
    // 5 -> 3 at stride 2, kernel 2: (3 - 1) 2 + 2 - 5 = 1 row of padding, after.
    const same = convGeometry([2, 5, 5, 3], [2, 2, 3, 4], { ...NHWC, strides: 2, pad: "same", dilations: 1 });
    expect(same).toEqual({ geometry: [2, 5, 5, 3, 3, 3, 4, 2, 2, 2, 2, 1, 1, 0, 0], outShape: [2, 3, 3, 4] });
    // Kernel 3 at stride 1 dilated by 2 (effective 5), explicit padding: 6 + 1 + 2 - 5 + 1 = 5 rows.
    const explicit = convGeometry([1, 6, 7, 2], [3, 3, 2, 1], {
      ...NHWC,
      strides: 1,
      pad: [
        [0, 0],
        [1, 2],
        [0, 3],
        [0, 0],
      ],
      dilations: 2,
    });
    expect(explicit).toEqual({ geometry: [1, 6, 7, 2, 5, 6, 1, 3, 3, 1, 1, 2, 2, 1, 0], outShape: [1, 5, 6, 1] });
    expect(convGeometry([1, 3, 5, 5], [2, 2, 3, 4], { ...NHWC, dataFormat: "NCHW", strides: 1, pad: "valid", dilations: 1 })).toBeNull();
  });
});

/** A raw Conv2D as tfjs-core's conv2d takes it: strides or dilations above 1, never both (tfjs's rule). */
const rawCase = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 11 }),
    w: fc.integer({ min: 1, max: 11 }),
    cin: fc.integer({ min: 1, max: 6 }),
    cout: fc.integer({ min: 1, max: 5 }),
    kh: fc.integer({ min: 1, max: 5 }),
    kw: fc.integer({ min: 1, max: 5 }),
    sh: fc.integer({ min: 1, max: 4 }),
    sw: fc.integer({ min: 1, max: 4 }),
    dilation: fc.integer({ min: 1, max: 3 }),
    pad: fc.oneof(fc.constantFrom("same" as const, "valid" as const), fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3))),
    seed: fc.nat(1e6),
  })
  .map((c) => (c.sh > 1 || c.sw > 1 ? { ...c, dilation: 1 } : c))
  .filter((c) => {
    const [t, b, l, r] = typeof c.pad === "string" ? [0, 0, 0, 0] : c.pad;
    // VALID and explicit padding need the dilated kernel to fit (tfjs's output size would be 0 or less).
    return c.pad === "same" || (c.h + t + b >= (c.kh - 1) * c.dilation + 1 && c.w + l + r >= (c.kw - 1) * c.dilation + 1);
  });

describe.skipIf(blas === null)(`Conv2D on wasm+blas${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  let calls: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    await selectBackend("cpu"); // initialised (and quiet) before the comparisons switch to it
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
    calls = vi.spyOn(blas!, "conv2d");
  });

  afterAll(async () => {
    calls.mockRestore();
    await selectBackend("wasm");
  });

  it("matches the cpu backend over random shapes, strides, dilations, paddings, kernels smaller than the stride", async () => {
    let smallKernels = 0;
    await fc.assert(
      fc.asyncProperty(rawCase, async (c) => {
        const rng = new Rng(c.seed);
        const xShape: [number, number, number, number] = [c.batch, c.h, c.w, c.cin];
        const fShape: [number, number, number, number] = [c.kh, c.kw, c.cin, c.cout];
        const xv = randomValues(
          xShape.reduce((a, b) => a * b),
          rng,
        );
        const fv = randomValues(
          fShape.reduce((a, b) => a * b),
          rng,
        );
        const pad =
          typeof c.pad === "string"
            ? c.pad
            : ([
                [0, 0],
                [c.pad[0], c.pad[1]],
                [c.pad[2], c.pad[3]],
                [0, 0],
              ] as tf.backend_util.ExplicitPadding);
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() => {
            const y = tf.conv2d(tf.tensor4d(xv, xShape), tf.tensor4d(fv, fShape), [c.sh, c.sw], pad, "NHWC", c.dilation);
            return { shape: y.shape, values: y.dataSync().slice() };
          });
        };
        const cpu = await run("cpu");
        const before = calls.mock.calls.length;
        const native = await run("wasm");
        expect(calls.mock.calls.length).toBe(before + 1); // the native kernel ran, not the stock one
        expect(native.shape).toEqual(cpu.shape);
        // Float32 sums of kh kw cin products of values in [-1, 1], in another order.
        expectClose(native.values, cpu.values, { atol: 1e-6 * (c.kh * c.kw * c.cin + 1), rtol: 0 });
        if (c.kh < c.sh || c.kw < c.sw) smallKernels++;
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(smallKernels).toBeGreaterThan(5); // the generator does reach kernels that skip input rows
  });

  it("computes a convolution whose patch matrix takes several blocks (more than 4M floats) like the cpu backend", async () => {
    const rng = new Rng(3);
    // 2 x 41 x 41 positions of 5 x 5 x 64 values: 5.4M floats, two blocks (and a short last one).
    const xShape: [number, number, number, number] = [2, 41, 41, 64];
    const fShape: [number, number, number, number] = [5, 5, 64, 3];
    const xv = randomValues(
      xShape.reduce((a, b) => a * b),
      rng,
    );
    const fv = randomValues(
      fShape.reduce((a, b) => a * b),
      rng,
    );
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => tf.conv2d(tf.tensor4d(xv, xShape), tf.tensor4d(fv, fShape), 1, "same").dataSync().slice());
    };
    const cpu = await run("cpu");
    const before = calls.mock.calls.length;
    const native = await run("wasm");
    expect(calls.mock.calls.length).toBe(before + 1);
    expectClose(native, cpu, { atol: 1e-6 * (5 * 5 * 64 + 1), rtol: 0 });
  });

  it("leaves channels-first to the stock kernel (which refuses it as before)", () => {
    const before = calls.mock.calls.length;
    expect(() => tf.conv2d(tf.zeros([1, 2, 4, 4]) as tf.Tensor4D, tf.zeros([2, 2, 2, 1]) as tf.Tensor4D, 1, "valid", "NCHW")).toThrow(/dataFormat/);
    expect(calls.mock.calls.length).toBe(before);
  });

  /** The repo's conv2d / conv2dTranspose ops and their gradients (every kernel of a conv layer's step) against the loop reference. */
  const layerCase = convCaseArb({ batch: 3, size: 10, channels: 4 });

  it("runs conv and deconv layers' forward and backward passes to the loop reference", () => {
    const before = calls.mock.calls.length;
    fc.assert(
      fc.property(layerCase, fc.nat(1e6), (c, seed) => checkAgainstReference(c, seed, { atol: 1e-4, rtol: 1e-4 })),
      { numRuns: 60, seed: 99 },
    );
    // Forward, input gradient and filter gradient of each op: all on the native kernel.
    expect(calls.mock.calls.length - before).toBeGreaterThanOrEqual(60 * 6);
  });
});
