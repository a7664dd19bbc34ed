import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { assignCodes, lookupCodes, nearestCodes } from "../../../../targets/tfjs/ops/codebook.js";
import { dense, matMul } from "../../../../targets/tfjs/ops/matmul.js";
import { stopGradient, straightThrough } from "../../../../targets/tfjs/ops/stop-gradient.js";
import { expectClose, expectGradientMatches, randomTensor, randomValues, seeded, useBackend, values } from "./tf-helpers.js";

beforeAll(() => useBackend("cpu"));

describe("matMul with explicit-transpose gradients", () => {
  it("agrees with central finite differences for both operands", () => {
    const rng = seeded(1);
    const a = randomTensor([4, 3], rng) as tf.Tensor2D;
    const b = randomTensor([3, 5], rng) as tf.Tensor2D;
    expectGradientMatches((x) => matMul(x as tf.Tensor2D, b), a, rng);
    expectGradientMatches((x) => matMul(a, x as tf.Tensor2D), b, rng);
    tf.dispose([a, b]);
  });

  it("dense acts on the last axis of any rank, as a loop does, with finite-difference gradients", () => {
    const rng = seeded(2);
    const x = randomTensor([2, 3, 2, 4], rng);
    const kernel = randomTensor([4, 3], rng) as tf.Tensor2D;
    const bias = randomTensor([3], rng) as tf.Tensor1D;
    const y = dense(x, kernel, bias);
    expect(y.shape).toEqual([2, 3, 2, 3]);
    const xv = values(x);
    const kv = values(kernel);
    const bv = values(bias);
    const expected = [];
    for (let row = 0; row < 12; row++) {
      for (let u = 0; u < 3; u++) {
        let s = bv[u]!;
        for (let i = 0; i < 4; i++) s += xv[row * 4 + i]! * kv[i * 3 + u]!;
        expected.push(s);
      }
    }
    expectClose(values(y), expected);
    expectGradientMatches((t) => dense(t, kernel, bias), x, rng);
    expectGradientMatches((t) => dense(x, t as tf.Tensor2D, bias), kernel, rng);
    expectGradientMatches((t) => dense(x, kernel, t as tf.Tensor1D), bias, rng);
    tf.dispose([x, kernel, bias, y]);
  });
});

describe("stop-gradient and straight-through", () => {
  it("stopGradient keeps the value and passes no gradient", () => {
    const rng = seeded(3);
    const x = randomTensor([5], rng);
    const w1 = randomTensor([5], rng);
    const w2 = randomTensor([5], rng);
    expect(values(stopGradient(x))).toEqual(values(x));
    // For sum(x w1 + sg(x)^2 w2), the gradient is the finite difference of the
    // same loss with sg(x) held at its value.
    const g = tf.grad((t) => tf.sum(tf.add(tf.mul(t, w1), tf.mul(tf.square(stopGradient(t)), w2))))(x);
    const held = tf.square(x);
    const surrogate = (t: tf.Tensor) => tf.sum(tf.add(tf.mul(t, w1), tf.mul(held, w2))).dataSync()[0]!;
    const base = values(x);
    const h = 1e-2;
    const numeric = base.map((_, i) => {
      const at = (d: number) => tf.tidy(() => surrogate(tf.tensor(base.map((v, j) => (j === i ? v + d : v)))));
      return (at(h) - at(-h)) / (2 * h);
    });
    expectClose(values(g), numeric, { atol: 2e-3, rtol: 1e-2 });
    tf.dispose([x, w1, w2, g, held]);
  });

  it("straight-through has zq's value and hands ze the gradient taken at zq", () => {
    const rng = seeded(4);
    const zq = randomTensor([3, 4], rng);
    const ze = randomTensor([3, 4], rng);
    const w = randomTensor([3, 4], rng);
    expectClose(values(straightThrough(zq, ze)), values(zq), { atol: 1e-6 });
    const loss = (u: tf.Tensor) => tf.sum(tf.mul(tf.square(u), w));
    const [dzq, dze] = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(straightThrough(a, b)))([zq, ze]);
    expect(values(dzq!).every((v) => v === 0)).toBe(true);
    // The decoder's gradient at zq (central differences of the loss around zq) reaches ze unchanged.
    const base = values(zq);
    const h = 1e-2;
    const numeric = base.map((_, i) => {
      const at = (d: number) =>
        tf.tidy(
          () =>
            loss(
              tf.tensor(
                base.map((v, j) => (j === i ? v + d : v)),
                zq.shape,
              ),
            ).dataSync()[0]!,
        );
      return (at(h) - at(-h)) / (2 * h);
    });
    expectClose(values(dze!), numeric, { atol: 2e-3, rtol: 1e-2 });
    tf.dispose([zq, ze, w, dzq!, dze!]);
  });
});

describe("codebook search and lookup", () => {
  it("nearestCodes picks the nearest code by brute force", () => {
    const rng = seeded(5);
    const m = 40;
    const k = 7;
    const d = 3;
    const z = randomValues(m * d, rng, 2);
    const e = randomValues(k * d, rng, 2);
    const got = Array.from(nearestCodes(tf.tensor2d(z, [m, d]), tf.tensor2d(e, [k, d])).dataSync());
    const want = Array.from({ length: m }, (_, i) => {
      let best = 0;
      let bestDist = Infinity;
      for (let j = 0; j < k; j++) {
        let dist = 0;
        for (let c = 0; c < d; c++) dist += (z[i * d + c]! - e[j * d + c]!) ** 2;
        if (dist < bestDist) [best, bestDist] = [j, dist];
      }
      return best;
    });
    expect(got).toEqual(want);
  });

  it("lookupCodes returns the indexed rows, with finite-difference gradients for the codebook", () => {
    const rng = seeded(6);
    const codebook = randomTensor([5, 3], rng) as tf.Tensor2D;
    const indices = tf.tensor1d([4, 0, 4, 2, 1, 4], "int32");
    const rows = lookupCodes(indices, codebook);
    const cb = values(codebook);
    expectClose(
      values(rows),
      [4, 0, 4, 2, 1, 4].flatMap((i) => cb.slice(i * 3, i * 3 + 3)),
      { atol: 0 },
    );
    expectGradientMatches((t) => lookupCodes(indices, t as tf.Tensor2D), codebook, rng);
    tf.dispose([codebook, indices, rows]);
  });

  it("assignCodes passes no gradient (the search is not differentiated)", () => {
    const rng = seeded(7);
    const z = randomTensor([6, 3], rng) as tf.Tensor2D;
    const codebook = randomTensor([4, 3], rng) as tf.Tensor2D;
    const [gz, ge] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(lookupCodes(assignCodes(a as tf.Tensor2D, b as tf.Tensor2D), b as tf.Tensor2D)))([
      z,
      codebook,
    ]);
    expect(values(gz!).every((v) => v === 0)).toBe(true);
    // Only the lookup's gradient reaches the codebook: each row counted as often as it was picked.
    const counts = new Array(4).fill(0);
    for (const i of Array.from(nearestCodes(z, codebook).dataSync())) counts[i]++;
    expectClose(
      values(ge!),
      counts.flatMap((c) => [c, c, c]),
      { atol: 0 },
    );
    tf.dispose([z, codebook, gz!, ge!]);
  });
});
