import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Dropout } from "../../../../src/ir/layers.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { linearInit } from "../../../../targets/tfjs/model/init.js";
import { LAYER_BUILDERS } from "../../../../targets/tfjs/model/layers.js";
import { VariableStore } from "../../../../targets/tfjs/model/variables.js";
import { irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

/** Within 5 standard errors of a binomial proportion. */
function expectFraction(count: number, n: number, p: number): void {
  expect(Math.abs(count / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
}

/** A model on [h, w, c] inputs with this corruption (and an optional declared range). */
function corrupted(corrupt: string, range = "") {
  return createModel(
    irOf(`model n {
  input: [20, 20, 2] ${range}
  corrupt: ${corrupt}
  bottleneck: deterministic(2)
  decoder { dense(2) }
  loss { reconstruction(mse) }
}`),
    seeded(1),
  );
}

function forward(m: ReturnType<typeof corrupted>, x: tf.Tensor, training: boolean, seed = 3) {
  let out: { input: number[]; encoderInput: number[]; hidden: number[] | null } | undefined;
  tf.tidy(() => {
    const f = m.forward(x, { training, rng: seeded(seed) });
    out = { input: values(f.input), encoderInput: values(f.encoderInput), hidden: f.hidden === null ? null : values(f.hidden) };
  });
  return out!;
}

const batch = (value?: number) => (value === undefined ? tf.add(tf.mul(randomTensor([10, 20, 20, 2], seeded(4)), 0.4), 0.5) : tf.fill([10, 20, 20, 2], value));
const N = 10 * 20 * 20 * 2;

describe("dropout layer", () => {
  const layer = irOf(`model d {
  input: [4000]
  encoder { dropout(0.3) }
  bottleneck: deterministic(2)
  decoder { dense(4000) }
  loss { reconstruction(mse) }
}`).encoder[0] as Dropout;
  const part = () => LAYER_BUILDERS.dropout(layer, { prefix: "encoder.0", store: new VariableStore(), rng: seeded(1), init: linearInit("torch") });

  it("zeroes a fraction `rate` in training and scales the rest by 1 / (1 - rate)", () => {
    const out = tf.tidy(() => values(part().apply(tf.ones([3, 4000]), { training: true, rng: seeded(2) })));
    const zeros = out.filter((v) => v === 0).length;
    expectFraction(zeros, out.length, 0.3);
    expect(out.filter((v) => v !== 0).every((v) => v === Math.fround(1 / 0.7))).toBe(true);
  });

  it("is the identity at evaluation, and repeats itself for the same Rng seed", () => {
    const x = randomTensor([3, 4000], seeded(5));
    expect(tf.tidy(() => values(part().apply(x, { training: false, rng: seeded(2) })))).toEqual(values(x));
    const a = tf.tidy(() => values(part().apply(x, { training: true, rng: seeded(6) })));
    const b = tf.tidy(() => values(part().apply(x, { training: true, rng: seeded(6) })));
    expect(a).toEqual(b);
  });
});

describe("corruptions of the encoder's input", () => {
  it("none of them act at evaluation", () => {
    for (const c of ["gaussian(sigma: 0.5)", "dropout(0.5)", "saltpepper(0.5)", "mask(patch: 5, ratio: 0.5)"]) {
      const m = corrupted(c);
      const f = forward(m, batch(), false);
      expect(f.encoderInput).toEqual(f.input);
      expect(f.hidden).toBeNull();
      m.dispose();
    }
  });

  it("gaussian noise has variance sigma^2 and mean 0", () => {
    const m = corrupted("gaussian(sigma: 0.3)");
    const f = forward(m, batch(), true);
    const noise = f.encoderInput.map((v, i) => v - f.input[i]!);
    const mean = noise.reduce((a, b) => a + b, 0) / N;
    const variance = noise.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean)).toBeLessThan((5 * 0.3) / Math.sqrt(N));
    expect(Math.abs(variance - 0.09)).toBeLessThan(5 * 0.09 * Math.sqrt(2 / N));
    m.dispose();
  });

  it("dropout noise zeroes a fraction p and leaves the rest unscaled", () => {
    const m = corrupted("dropout(0.25)");
    const f = forward(m, batch(0.7), true);
    expectFraction(f.encoderInput.filter((v) => v === 0).length, N, 0.25);
    expect(f.encoderInput.every((v) => v === 0 || v === Math.fround(0.7))).toBe(true);
    m.dispose();
  });

  it("salt-and-pepper replaces a fraction p by the range's ends, half each", () => {
    const m = corrupted("saltpepper(0.2)", "in [-1, 2]");
    const f = forward(m, batch(0.5), true);
    const salt = f.encoderInput.filter((v) => v === 2).length;
    const pepper = f.encoderInput.filter((v) => v === -1).length;
    expect(salt + pepper + f.encoderInput.filter((v) => v === 0.5).length).toBe(N);
    expectFraction(salt + pepper, N, 0.2);
    expectFraction(salt, salt + pepper, 0.5);
    m.dispose();
  });

  it("salt-and-pepper without a declared range uses the batch's minimum and maximum", () => {
    const m = corrupted("saltpepper(0.2)");
    const x = batch();
    const lo = tf.min(x).dataSync()[0]!;
    const hi = tf.max(x).dataSync()[0]!;
    const f = forward(m, x, true);
    const changed = f.encoderInput.filter((v, i) => v !== f.input[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((v) => v === lo || v === hi)).toBe(true);
    m.dispose();
  });

  it("mask hides exactly `hidden` whole patches of every example, and marks them", () => {
    const m = corrupted("mask(patch: 5, ratio: 0.75)"); // 16 patches, 12 hidden
    const ir = m.ir;
    expect(ir.corruption).toMatchObject({ kind: "mask", patches: 16, hidden: 12 });
    const f = forward(m, batch(), true);
    const at = (b: number, r: number, c: number, ch: number) => ((b * 20 + r) * 20 + c) * 2 + ch;
    for (let b = 0; b < 10; b++) {
      let hiddenPatches = 0;
      for (let p = 0; p < 16; p++) {
        const cells: number[] = [];
        for (let r = 0; r < 5; r++)
          for (let c = 0; c < 5; c++) for (let ch = 0; ch < 2; ch++) cells.push(at(b, Math.floor(p / 4) * 5 + r, (p % 4) * 5 + c, ch));
        const marks = new Set(cells.map((i) => f.hidden![i]));
        expect(marks.size).toBe(1); // a patch is hidden whole or not at all
        if (f.hidden![cells[0]!] === 1) {
          hiddenPatches++;
          expect(cells.every((i) => f.encoderInput[i] === 0)).toBe(true);
        } else {
          expect(cells.every((i) => f.encoderInput[i] === f.input[i])).toBe(true);
        }
      }
      expect(hiddenPatches).toBe(12);
    }
    m.dispose();
  });
});
