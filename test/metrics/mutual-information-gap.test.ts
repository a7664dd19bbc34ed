import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import { discreteEntropy, discreteMutualInformation, histogramDiscretize, mutualInformationGap } from "../../src/metrics/mutual-information-gap.js";
import { fromRows, rowMatrix } from "../../src/metrics/row-matrix.js";

/** Every combination of factor values exactly once: the factors are exactly independent in the sample. */
function grid(sizes: number[]): number[][] {
  let rows: number[][] = [[]];
  for (const s of sizes) rows = rows.flatMap((r) => Array.from({ length: s }, (_, v) => [...r, v]));
  return rows;
}

describe("histogram discretisation (np.digitize on np.histogram's left edges)", () => {
  it("0..20 in 20 bins: the value v falls in bin v + 1, the maximum in the last bin", () => {
    const values = Array.from({ length: 21 }, (_, i) => i);
    expect(Array.from(histogramDiscretize(values))).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 20]);
  });
  it("a constant column gets numpy's range (c - 0.5, c + 0.5): bin 11", () => {
    expect(Array.from(histogramDiscretize([3, 3, 3]))).toEqual([11, 11, 11]);
  });
  it("4 bins over [0, 1]: edges 0, .25, .5, .75", () => {
    expect(Array.from(histogramDiscretize([0, 0.2, 0.25, 0.6, 0.74, 0.75, 1], 4))).toEqual([1, 1, 2, 3, 3, 4, 4]);
  });
});

describe("discrete mutual information and entropy, nats", () => {
  it("a fair bit: H = log 2; a copy shares all of it; an independent bit none", () => {
    expect(discreteEntropy([0, 0, 1, 1])).toBeCloseTo(Math.log(2), 14);
    expect(discreteMutualInformation([0, 0, 1, 1], [5, 5, 7, 7])).toBeCloseTo(Math.log(2), 14);
    expect(discreteMutualInformation([0, 0, 1, 1], [0, 1, 0, 1])).toBe(0);
  });
});

describe("MIG", () => {
  it("an encoder that copies the factors scores 1", () => {
    const rows = grid([3, 6, 10]);
    const r = mutualInformationGap(fromRows(rows), fromRows(rows));
    expect(r.score).toBeCloseTo(1, 12);
    expect(r.perFactor.every((g) => g !== null && Math.abs(g - 1) < 1e-12)).toBe(true);
  });

  it("copies in shuffled order, scaled and shifted, still score 1; duplicated copies score 0", () => {
    const rows = grid([3, 4, 5]);
    const codes = rows.map(([a, b, c]) => [10 * c! - 3, 0.5 * a!, -b!]);
    expect(mutualInformationGap(fromRows(codes), fromRows(rows)).score).toBeCloseTo(1, 12);
    const doubled = rows.map((r) => [...r, ...r]);
    expect(mutualInformationGap(fromRows(doubled), fromRows(rows)).score).toBeCloseTo(0, 12);
  });

  it("an encoder that ignores the factors scores 0: constant codes exactly, independent noise about 0", () => {
    const rows = grid([3, 6, 10]);
    expect(mutualInformationGap(fromRows(rows.map(() => [0.5, 0.5])), fromRows(rows)).score).toBe(0);
    const rng = new Rng(9);
    const n = 20000;
    const factors = new Float64Array(n * 2);
    const noise = new Float64Array(n * 4);
    for (let i = 0; i < factors.length; i++) factors[i] = rng.int(5);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
    const r = mutualInformationGap(rowMatrix(noise, n, 4), rowMatrix(factors, n, 2));
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThan(0.01);
  });

  it("a hand case: factor (0, 0, 1, 1), codes (0, 0, 0, 1) and a constant", () => {
    const r = mutualInformationGap(
      fromRows([
        [0, 7],
        [0, 7],
        [0, 7],
        [1, 7],
      ]),
      fromRows([[0], [0], [1], [1]]),
    );
    // joint (c, v): (0,0) 1/2, (0,1) 1/4, (1,1) 1/4; p(c) = (3/4, 1/4), p(v) = (1/2, 1/2)
    const mi = 0.5 * Math.log(0.5 / (0.75 * 0.5)) + 0.25 * Math.log(0.25 / (0.75 * 0.5)) + 0.25 * Math.log(0.25 / (0.25 * 0.5));
    expect(r.mutualInformation.data[0]).toBeCloseTo(mi, 14);
    expect(r.score).toBeCloseTo(mi / Math.log(2), 14);
  });

  it("a factor that never varies is left out of the mean", () => {
    const r = mutualInformationGap(
      fromRows([
        [0, 1],
        [1, 1],
        [0, 1],
        [1, 1],
      ]),
      fromRows([
        [0, 4],
        [1, 4],
        [0, 4],
        [1, 4],
      ]),
    );
    expect(r.perFactor).toEqual([1, null]);
    expect(r.score).toBe(1);
  });
});
