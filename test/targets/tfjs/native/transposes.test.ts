import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { matMul, matMulTransposedA, setMatMulTransposes, type MatMulTransposes } from "../../../../targets/tfjs/ops/matmul.js";
import { randomTensor, useBackend } from "../ops/tf-helpers.js";

/**
 * wasm+blas leaves the transposes of matrix-product gradients to the kernel's
 * flags; plain wasm transposes explicitly. Both modes must give the same
 * numbers (on the cpu backend, which honours the flags: the mode alone differs).
 */
function inMode<T>(mode: MatMulTransposes, f: () => T): T {
  setMatMulTransposes(mode);
  try {
    return f();
  } finally {
    setMatMulTransposes("explicit");
  }
}

const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

function expectSameInBothModes(f: () => tf.Tensor[]): void {
  const explicit = inMode("explicit", () => tf.tidy(() => values(f())));
  const flags = inMode("flags", () => tf.tidy(() => values(f())));
  expect(flags.length).toBe(explicit.length);
  flags.forEach((v, i) => {
    expect(v.length).toBe(explicit[i]!.length);
    v.forEach((x, j) => expect(Math.abs(x - explicit[i]![j]!)).toBeLessThan(1e-5));
  });
}

describe("matrix-product gradients, explicit transposes against transpose flags", () => {
  beforeAll(() => useBackend("cpu"));
  afterAll(() => setMatMulTransposes("explicit"));

  it("ops/matmul's dense product", () => {
    const rng = new Rng(1);
    const a = randomTensor([5, 3], rng);
    const b = randomTensor([3, 4], rng);
    const dy = randomTensor([5, 4], rng);
    expectSameInBothModes(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => matMul(x as tf.Tensor2D, y as tf.Tensor2D))([a, b], dy));
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])("tf.matMul's registered gradient, transposeA %s, transposeB %s, batched and broadcast", (ta, tb) => {
    const rng = new Rng(2);
    const a = randomTensor(ta ? [2, 3, 5] : [2, 5, 3], rng);
    const b = randomTensor(tb ? [4, 3] : [3, 4], rng); // broadcast over a's batch of 2
    const dy = randomTensor([2, 5, 4], rng);
    const grads = () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb))([a, b], dy);
    expectSameInBothModes(grads);
    // and both are right: against the products written out
    const [da, db] = tf.tidy(() => values(grads()));
    const opB = tb ? tf.transpose(b) : b;
    const expectedDa = tf.matMul(dy, tf.transpose(opB)); // d op(a), [2, 5, 3]
    const aT = ta ? tf.transpose(expectedDa, [0, 2, 1]) : expectedDa;
    const opA = ta ? tf.transpose(a, [0, 2, 1]) : a;
    const dOpB = tf.sum(tf.matMul(tf.transpose(opA, [0, 2, 1]), dy), 0); // [3, 4]
    const expectedDb = tb ? tf.transpose(dOpB) : dOpB;
    values([aT])[0]!.forEach((v, i) => expect(Math.abs(v - da![i]!)).toBeLessThan(1e-5));
    values([expectedDb])[0]!.forEach((v, i) => expect(Math.abs(v - db![i]!)).toBeLessThan(1e-5));
  });

  it("matMulTransposedA is a^T b in both modes", () => {
    const rng = new Rng(3);
    const a = randomTensor([6, 3], rng);
    const b = randomTensor([6, 2], rng);
    expectSameInBothModes(() => [matMulTransposedA(a as tf.Tensor2D, b as tf.Tensor2D)]);
    const got = values([inMode("flags", () => matMulTransposedA(a as tf.Tensor2D, b as tf.Tensor2D))])[0]!;
    const av = a.arraySync() as number[][];
    const bv = b.arraySync() as number[][];
    expect(got[1 * 2 + 0]).toBeCloseTo(
      av.reduce((s, row, k) => s + row[1]! * bv[k]![0]!, 0),
      5,
    );
  });
});
