import { describe, expect, it } from "vitest";
import { LOWRANK_NOISE, loadLowrank, lowrankBasis } from "../../src/data/builtin/lowrank.js";
import { testCountFor } from "../../src/data/builtin/sizes.js";
import { loadSphere } from "../../src/data/builtin/sphere.js";
import type { Dataset } from "../../src/data/dataset.js";

/** Eigenvalues and eigenvectors (columns of v) of a symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const n = m.length;
  const a = m.map((r) => [...r]);
  const v: number[][] = a.map((_, i) => a.map((_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => a[j]![j]! - a[i]![i]!);
  return { values: order.map((i) => a[i]![i]!), vectors: v.map((row) => order.map((i) => row[i]!)) };
}

function covariance(d: Dataset): number[][] {
  const n = d.shape[0]!;
  const c = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let e = 0; e < d.count; e++) {
    const row = d.x.subarray(e * n, (e + 1) * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i]![j] += (row[i]! * row[j]!) / d.count;
  }
  return c;
}

describe("the test's eigen solver", () => {
  it("finds the eigenvalues of a matrix with known ones", () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1; diag(5, 1, 3) has 5, 3, 1.
    expect(
      symmetricEigen([
        [2, 1],
        [1, 2],
      ]).values.map((x) => +x.toFixed(10)),
    ).toEqual([3, 1]);
    expect(
      symmetricEigen([
        [5, 0, 0],
        [0, 1, 0],
        [0, 0, 3],
      ]).values,
    ).toEqual([5, 3, 1]);
  });
});

describe("sphere", () => {
  it("noise 0: every point has norm 1 and the points spread over the sphere", () => {
    const { train, test } = loadSphere(3, 0, 5000, 1);
    expect(train.shape).toEqual([3]);
    expect(test!.count).toBe(testCountFor(5000));
    const second = [0, 0, 0];
    for (let e = 0; e < train.count; e++) {
      const p = train.x.subarray(e * 3, e * 3 + 3);
      expect(Math.hypot(p[0]!, p[1]!, p[2]!)).toBeCloseTo(1, 5);
      for (let j = 0; j < 3; j++) second[j]! += p[j]! ** 2 / train.count;
    }
    // Uniform on S^2: E[x_j^2] = 1/3 (standard error about 0.004).
    for (const s of second) expect(Math.abs(s - 1 / 3)).toBeLessThan(0.02);
  });

  it("norms are 1 +- noise", () => {
    const noise = 0.05;
    const { train } = loadSphere(3, noise, 20000, 2);
    const norms = Array.from({ length: train.count }, (_, e) => Math.hypot(...train.x.subarray(e * 3, e * 3 + 3)));
    const mean = norms.reduce((a, b) => a + b) / norms.length;
    const sd = Math.sqrt(norms.reduce((a, b) => a + (b - mean) ** 2, 0) / norms.length);
    // The radial part of the noise is N(0, noise^2); the tangential part adds about noise^2 to the mean.
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(sd / noise - 1)).toBeLessThan(0.1);
    expect(Math.max(...norms.map((r) => Math.abs(r - 1)))).toBeLessThan(7 * noise);
  });

  it("train and test differ; the same seed repeats", () => {
    const a = loadSphere(4, 0.1, 600, 3);
    expect(loadSphere(4, 0.1, 600, 3).train.x).toEqual(a.train.x);
    expect(a.test!.x.subarray(0, 40)).not.toEqual(a.train.x.subarray(0, 40));
    expect(loadSphere(4, 0.1, 600, 4).train.x).not.toEqual(a.train.x);
  });
});

describe("lowrank", () => {
  const dim = 16;
  const rank = 3;
  const { train, test } = loadLowrank(dim, rank, 6000, 11);

  it("is centred", () => {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let e = 0; e < train.count; e++) s += train.x[e * dim + i]!;
      expect(Math.abs(s / train.count)).toBeLessThan(1e-5);
    }
    expect(test!.count).toBe(1000);
  });

  it("its covariance has `rank` large eigenvalues, near the squared column lengths, and the rest at the noise level", () => {
    const { values } = symmetricEigen(covariance(train));
    // Columns of lengths 2 - j/rank: variances 4, 2.78, 1.78 (sampling error about 2%).
    const expected = [0, 1, 2].map((j) => (2 - j / rank) ** 2);
    values.slice(0, rank).forEach((v, j) => expect(Math.abs(v / expected[j]! - 1)).toBeLessThan(0.08));
    for (const v of values.slice(rank)) expect(v).toBeLessThan(2 * LOWRANK_NOISE ** 2);
    for (const v of values.slice(rank)) expect(v).toBeGreaterThan(0.5 * LOWRANK_NOISE ** 2);
  });

  it("its top subspace is the span of the basis", () => {
    const { vectors } = symmetricEigen(covariance(train));
    const a = lowrankBasis(dim, rank, 11);
    for (let j = 0; j < rank; j++) {
      const col = [...Array(dim).keys()].map((i) => a[i * rank + j]!);
      const norm = Math.hypot(...col);
      // The part of the column inside the span of the top `rank` eigenvectors.
      let inside = 0;
      for (let k = 0; k < rank; k++) {
        const dot = col.reduce((s, c, i) => s + (c * vectors[i]![k]!) / norm, 0);
        inside += dot * dot;
      }
      expect(inside).toBeGreaterThan(0.9999);
    }
  });

  it("the basis has orthogonal columns of lengths 2 - j/rank", () => {
    const a = lowrankBasis(dim, rank, 11);
    for (let j = 0; j < rank; j++) {
      for (let k = 0; k < rank; k++) {
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += a[i * rank + j]! * a[i * rank + k]!;
        expect(dot).toBeCloseTo(j === k ? (2 - j / rank) ** 2 : 0, 10);
      }
    }
  });

  it("train and test share the basis but not the draws; another seed gives another basis", () => {
    const { values } = symmetricEigen(covariance(test!));
    for (const v of values.slice(rank)) expect(v).toBeLessThan(3 * LOWRANK_NOISE ** 2);
    expect(test!.x.subarray(0, 32)).not.toEqual(train.x.subarray(0, 32));
    expect(lowrankBasis(dim, rank, 12)).not.toEqual(lowrankBasis(dim, rank, 11));
  });
});
