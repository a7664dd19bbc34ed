import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import {
  activeUnits,
  diagonalGaussianLogDensity,
  importanceLogWeight,
  iwaeBound,
  klPerUnit,
  logMeanExp,
  standardNormalLogDensity,
} from "../../src/metrics/gaussian-latent.js";
import { fromRows, rowMatrix } from "../../src/metrics/row-matrix.js";

describe("KL per unit", () => {
  it("is 0 at the prior and 0.5 mu^2 for a unit-variance posterior", () => {
    const kl = klPerUnit(
      fromRows([
        [0, 2],
        [0, 0],
      ]),
      fromRows([
        [0, 0],
        [0, 0],
      ]),
    );
    expect(Array.from(kl)).toEqual([0, (0.5 * (4 + 0)) / 2]);
  });
  it("against a prior of its own: 0 when q equals it; a hand case N(1, 1) against N(0, e^2)", () => {
    const q = { mean: fromRows([[0.3, 1]]), logVar: fromRows([[-1, 0]]) };
    const p = { mean: fromRows([[0.3, 0]]), logVar: fromRows([[-1, 2]]) };
    const kl = klPerUnit(q.mean, q.logVar, p);
    expect(kl[0]).toBeCloseTo(0, 14);
    // 0.5 (log(e^2 / 1) + (1 + 1) / e^2 - 1)
    expect(kl[1]).toBeCloseTo(0.5 * (2 + 2 / Math.exp(2) - 1), 14);
    // the standard normal as an explicit prior is the default
    expect(Array.from(klPerUnit(q.mean, q.logVar, { mean: fromRows([[0, 0]]), logVar: fromRows([[0, 0]]) }))).toEqual(Array.from(klPerUnit(q.mean, q.logVar)));
  });
  it("for variance e^-2 (logVar -2, mu 0): 0.5 (e^-2 - 1 + 2)", () => {
    expect(klPerUnit(fromRows([[0]]), fromRows([[-2]]))[0]).toBeCloseTo(0.5 * (Math.exp(-2) + 1), 12);
  });
});

describe("active units (Burda et al.: variance of the posterior mean > 0.01)", () => {
  it("counts the units whose mean varies over the data", () => {
    // unit 0: values +-1 (variance 1); unit 1: +-0.05 (0.0025); unit 2: constant
    const m = fromRows([
      [1, 0.05, 3],
      [-1, -0.05, 3],
      [1, 0.05, 3],
      [-1, -0.05, 3],
    ]);
    const a = activeUnits(m);
    expect(a.active).toBe(1);
    expect(a.variances[0]).toBeCloseTo(1, 12);
    expect(a.variances[1]).toBeCloseTo(0.0025, 12);
    expect(a.variances[2]).toBe(0);
  });
  it("uses the population variance: +-0.1 is exactly 0.01, not above it", () => {
    expect(activeUnits(fromRows([[0.1], [-0.1]])).variances[0]).toBeCloseTo(0.01, 15);
    expect(activeUnits(fromRows([[0.11], [-0.11]])).active).toBe(1);
  });
});

describe("log-mean-exp and the IWAE bound", () => {
  it("logMeanExp is exact on small values and stable on huge ones", () => {
    expect(logMeanExp([0, Math.log(3)])).toBeCloseTo(Math.log(2), 14);
    expect(logMeanExp([-1000, -1000])).toBeCloseTo(-1000, 10);
    expect(logMeanExp([1000, 1000 + Math.log(3)])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logMeanExp([-Infinity, 0])).toBeCloseTo(Math.log(0.5), 14);
  });

  it("lies between the mean and the maximum of its values (Jensen)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { minLength: 1, maxLength: 30 }), (v) => {
        const l = logMeanExp(v);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        expect(l).toBeGreaterThanOrEqual(m - 1e-9 * (1 + Math.abs(m)));
        expect(l).toBeLessThanOrEqual(Math.max(...v) + 1e-9);
      }),
    );
  });

  it("IWAE with K=1 equals the ELBO: each example's bound is its one log-weight", () => {
    const w = fromRows([[-3.5], [-1.25], [-7]]);
    const b = iwaeBound(w);
    expect(Array.from(b.perExample)).toEqual([-3.5, -1.25, -7]);
    expect(b.mean).toBeCloseTo((-3.5 - 1.25 - 7) / 3, 14);
  });

  /**
   * A model where everything is known: p(z) = N(0, 1), p(x|z) = N(z, 1), so
   * p(x) = N(0, 2) and p(z|x) = N(x/2, 1/2). With q(z|x) = N(m, s^2):
   * ELBO = log p(x) - KL(q || p(z|x)).
   */
  const logNormal = (x: number, variance: number) => -0.5 * (Math.log(2 * Math.PI * variance) + (x * x) / variance);
  const logLik = (x: number, z: number) => logNormal(x - z, 1);
  function logWeights(x: number, m: number, logVar: number, k: number, n: number, rng: Rng) {
    const data = new Float64Array(n * k);
    for (let i = 0; i < n * k; i++) {
      const z = m + Math.exp(logVar / 2) * rng.normal();
      data[i] = importanceLogWeight(logLik(x, z), [z], [m], [logVar]);
    }
    return rowMatrix(data, n, k);
  }

  it("with q the exact posterior every log-weight is log p(x): IWAE = log p(x) for any K", () => {
    const x = 1.3;
    const w = logWeights(x, x / 2, Math.log(0.5), 5, 4, new Rng(1));
    for (const v of iwaeBound(w).perExample) expect(v).toBeCloseTo(logNormal(x, 2), 10);
  });

  it("with a poorer q: K=1 averages to the analytic ELBO, and the bound rises with K towards log p(x)", () => {
    const x = 1.3;
    const m = 0;
    const logVar = Math.log(2);
    // KL(N(m, s2) || N(mu, v)) = 0.5 (log(v / s2) + (s2 + (m - mu)^2) / v - 1)
    const s2 = 2;
    const kl = 0.5 * (Math.log(0.5 / s2) + (s2 + (m - x / 2) ** 2) / 0.5 - 1);
    const elbo = logNormal(x, 2) - kl;
    const one = iwaeBound(logWeights(x, m, logVar, 1, 40000, new Rng(2))).mean;
    expect(one).toBeCloseTo(elbo, 1);
    const fifty = iwaeBound(logWeights(x, m, logVar, 50, 2000, new Rng(3))).mean;
    expect(fifty).toBeGreaterThan(elbo + 0.3);
    expect(fifty).toBeLessThan(logNormal(x, 2) + 1e-3);
    expect(logNormal(x, 2) - fifty).toBeLessThan(0.05);
  });

  it("the log-densities are the textbook ones", () => {
    expect(standardNormalLogDensity([0, 0])).toBeCloseTo(-Math.log(2 * Math.PI), 14);
    expect(diagonalGaussianLogDensity([1], [1], [Math.log(4)])).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4), 14);
    expect(diagonalGaussianLogDensity([3], [1], [Math.log(4)])).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4) - 0.5, 14);
  });
});
