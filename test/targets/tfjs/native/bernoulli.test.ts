import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { BERNOULLI_CLIP, reconstructionLoss } from "../../../../targets/tfjs/train/losses/reconstruction.js";
import { blas, skipReason } from "./native-available.js";

/**
 * The fused Bernoulli term of wasm+blas (one native kernel forward, one
 * backward) against tfjs's ops on cpu: the same loss and gradient in the
 * reconstruction within float32 rounding, for reconstructions inside, on and
 * beyond the clip bounds, and targets in {0, 1} and between.
 */
const HI = Math.fround(1 - BERNOULLI_CLIP);
const special = fc.constantFrom(0, 1, -1, 2, -0.25, 1.25, BERNOULLI_CLIP, Math.fround(BERNOULLI_CLIP), HI, Math.fround(HI - 1e-7), 0.5, 1e-9, 1 - 1e-9);
const probability = fc.oneof(special, fc.float({ min: -0.5, max: 1.5, noNaN: true }));
const target = fc.oneof(fc.constantFrom(0, 1), fc.float({ min: 0, max: 1, noNaN: true }));
const COLS = 5;
const batch = fc.integer({ min: 1, max: 6 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    x: fc.array(target, { minLength: rows * COLS, maxLength: rows * COLS }),
    r: fc.array(probability, { minLength: rows * COLS, maxLength: rows * COLS }),
  }),
);

interface Figures {
  readonly value: number;
  readonly grad: number[];
}

function lossAndGrad(rows: number, x: number[], r: number[]): Figures {
  return tf.tidy(() => {
    const xs = tf.tensor2d(x, [rows, COLS]);
    const { value, grad } = tf.valueAndGrad((rs: tf.Tensor) => reconstructionLoss("bernoulli", xs, rs))(tf.tensor2d(r, [rows, COLS]));
    return { value: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
  });
}

/** Equal within a few float32 roundings of the larger magnitude (0 and -0 alike). */
function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 4 * 2 ** -23 * Math.max(Math.abs(a), Math.abs(b), scale);
}

describe.skipIf(blas === null)(`the fused Bernoulli term on wasm+blas${skipReason === null ? "" : ` (${skipReason})`}`, () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("gives tfjs's loss and gradient on cpu within float32 rounding, clipped or not", async () => {
    const cases: { rows: number; x: number[]; r: number[]; cpu: Figures }[] = [];
    const arb = fc.sample(batch, { numRuns: 150, seed: 7 });
    const s0 = await selectBackend("cpu");
    if (s0.error !== null) throw new Error(s0.error);
    for (const c of arb) cases.push({ ...c, cpu: lossAndGrad(c.rows, c.x, c.r) });
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
    const calls = { fwd: 0, bwd: 0 };
    const addon = blas!;
    const [fwd, bwd] = [addon.bernoulliNll, addon.bernoulliNllGrad];
    addon.bernoulliNll = (...a) => (calls.fwd++, fwd(...a));
    addon.bernoulliNllGrad = (...a) => (calls.bwd++, bwd(...a));
    let clipped = 0;
    try {
      for (const c of cases) {
        const ours = lossAndGrad(c.rows, c.x, c.r);
        expect(close(ours.value, c.cpu.value, 0), `loss ${ours.value} vs ${c.cpu.value} for x=${c.x} r=${c.r}`).toBe(true);
        const scale = Math.max(...c.cpu.grad.map(Math.abs));
        ours.grad.forEach((g, i) =>
          expect(close(g, c.cpu.grad[i]!, scale * 2 ** -10), `grad[${i}] ${g} vs ${c.cpu.grad[i]} (x=${c.x[i]} r=${c.r[i]})`).toBe(true),
        );
        clipped += c.r.filter((e) => e < BERNOULLI_CLIP || e > HI).length;
      }
    } finally {
      addon.bernoulliNll = fwd;
      addon.bernoulliNllGrad = bwd;
    }
    expect(calls).toEqual({ fwd: cases.length, bwd: cases.length });
    expect(clipped).toBeGreaterThan(50); // the generator does reach the clipped side
  });

  it("clips a NaN reconstruction to the lower bound, as plain wasm's ClipByValue does", async () => {
    const figures = () => {
      const x = [1, 0, 0.5, 1, 0];
      const r = [Number.NaN, 0.5, 0.25, Number.NaN, 0.9];
      return lossAndGrad(1, x, r);
    };
    await selectBackend("wasm");
    const wasm = figures();
    await selectBackend("wasm+blas");
    const ours = figures();
    expect(Number.isFinite(ours.value)).toBe(true);
    expect(close(ours.value, wasm.value, 0)).toBe(true);
    expect(ours.grad.map((g) => g + 0)).toEqual(wasm.grad.map((g) => g + 0));
    expect(ours.grad[0]! + 0).toBe(0); // no gradient through a NaN
  });

  it("leaves a target computed under the tape to tfjs's ops, so its gradient still flows", async () => {
    const run = () =>
      tf.tidy(() => {
        const w = tf.tensor2d([[0.2, 0.7, 1, 0]]);
        const r = tf.tensor2d([[0.3, 0.6, 0.9, 0.1]]);
        const g = tf.grads((ws: tf.Tensor, rs: tf.Tensor) => reconstructionLoss("bernoulli", tf.mul(ws, 1), rs))([w, r]);
        return g.map((t) => Array.from(t.dataSync()));
      });
    await selectBackend("cpu");
    const cpu = run();
    await selectBackend("wasm+blas");
    const ours = run();
    // d/dx of -(x log p + (1 - x) log(1 - p)) = log(1 - p) - log p: not zero.
    expect(ours[0]![0]).toBeCloseTo(Math.log(0.7) - Math.log(0.3), 5);
    ours.forEach((g, k) => g.forEach((v, i) => expect(v).toBeCloseTo(cpu[k]![i]!, 5)));
  });
});
