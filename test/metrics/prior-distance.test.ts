import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import { kernelSum, mmdUnbiased, priorDistance, priorSamples, rowCovariance, rowMean } from "../../src/metrics/prior-distance.js";
import { fromRows, rowMatrix, type RowMatrix } from "../../src/metrics/row-matrix.js";

/** n draws of N(0, I) in d dimensions, each coordinate times `scale` plus `shift[j]`. */
function gaussian(n: number, d: number, rng: Rng, shift: readonly number[] = [], scale = 1): RowMatrix {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = scale * rng.normal() + (shift[j] ?? 0);
  return rowMatrix(data, n, d);
}

describe("moments of the codes", () => {
  it("are the mean and the population covariance, by hand", () => {
    // Rows (2, 1) and (-2, -1): mean 0; covariance [[4, 2], [2, 1]]; minus I: [[3, 2], [2, 0]], Frobenius sqrt(17).
    const m = fromRows([
      [2, 1],
      [-2, -1],
    ]);
    expect(Array.from(rowMean(m))).toEqual([0, 0]);
    expect(Array.from(rowCovariance(m))).toEqual([4, 2, 2, 1]);
    const p = priorDistance(m, { mmdSamples: 2, rng: new Rng(1) });
    expect(p.meanNorm).toBe(0);
    expect(p.covarianceDistance).toBeCloseTo(Math.sqrt(17), 12);
  });
});

describe("distance from the prior N(0, I)", () => {
  const n = 4000;
  const d = 3;

  it("is near 0 on every count for samples of the prior itself", () => {
    const p = priorDistance(gaussian(n, d, new Rng(2, "codes")), { mmdSamples: 500, rng: new Rng(2, "mmd") });
    // |mean| has expectation about sqrt(d / n) = 0.027; each covariance entry's error about 1/sqrt(n) = 0.016 (0.022 on the diagonal).
    expect(p.meanNorm).toBeLessThan(4 * Math.sqrt(d / n));
    expect(p.covarianceDistance).toBeLessThan(0.12);
    expect(Math.abs(p.mmd)).toBeLessThan(0.02);
  });

  it("sees a shifted mean at its norm, with the covariance unchanged", () => {
    const p = priorDistance(gaussian(n, d, new Rng(3, "codes"), [3, 4, 0]), { mmdSamples: 500, rng: new Rng(3, "mmd") });
    expect(p.meanNorm).toBeGreaterThan(5 - 0.1);
    expect(p.meanNorm).toBeLessThan(5 + 0.1);
    expect(p.covarianceDistance).toBeLessThan(0.12);
    expect(p.mmd).toBeGreaterThan(1);
  });

  it("sees a doubled spread as Cov = 4 I: ||3 I||_F = 3 sqrt(d)", () => {
    const p = priorDistance(gaussian(n, d, new Rng(4, "codes"), [], 2), { mmdSamples: 500, rng: new Rng(4, "mmd") });
    expect(p.meanNorm).toBeLessThan(4 * 2 * Math.sqrt(d / n));
    expect(Math.abs(p.covarianceDistance - 3 * Math.sqrt(d))).toBeLessThan(0.45);
    expect(p.mmd).toBeGreaterThan(0.1);
  });

  it("the MMD sees beyond two moments: codes on a circle of the right mean and covariance", () => {
    // Radius sqrt(2) in 2 dimensions: mean 0, covariance I exactly in expectation, yet not Gaussian.
    const rng = new Rng(5, "ring");
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const a = 2 * Math.PI * rng.next();
      data[2 * i] = Math.SQRT2 * Math.cos(a);
      data[2 * i + 1] = Math.SQRT2 * Math.sin(a);
    }
    const ring = priorDistance(rowMatrix(data, n, 2), { mmdSamples: 1000, rng: new Rng(5, "mmd") });
    const normal = priorDistance(gaussian(n, 2, new Rng(5, "codes")), { mmdSamples: 1000, rng: new Rng(5, "mmd") });
    expect(ring.covarianceDistance).toBeLessThan(0.12);
    expect(ring.mmd).toBeGreaterThan(0.05);
    expect(ring.mmd).toBeGreaterThan(5 * Math.abs(normal.mmd));
  });
});

describe("the float64 MMD", () => {
  it("matches the 3-point hand computation: (7 - K(4)) / 3 for x = {0, 1, 2}, y = {0, 0, 0}", () => {
    // As in test/targets/tfjs/train/mmd.test.ts; d = 1, C = 2s.
    const imq4 = 0.2 / 4.2 + 0.4 / 4.4 + 1 / 5 + 2 / 6 + 4 / 8 + 10 / 14 + 20 / 24;
    expect(kernelSum(4, 1, "imq")).toBeCloseTo(imq4, 12);
    expect(kernelSum(0, 5, "rbf")).toBe(7);
    expect(mmdUnbiased(fromRows([[0], [1], [2]]), fromRows([[0], [0], [0]]), "imq")).toBeCloseTo((7 - imq4) / 3, 12);
  });

  it("draws the prior from the given stream", () => {
    const a = priorSamples(3, 2, new Rng(9));
    const b = priorSamples(3, 2, new Rng(9));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const r = new Rng(9);
    expect(a.data[0]).toBe(r.normal());
  });
});
