import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import { linearProbe } from "../../src/metrics/linear-probe.js";
import { rowMatrix } from "../../src/metrics/row-matrix.js";

/** n points in d dimensions around one centre per class; labels drawn uniformly. */
function blobs(n: number, d: number, centres: number[][], spread: number, rng: Rng, randomLabels = false) {
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centres.length);
    labels[i] = randomLabels ? rng.int(centres.length) : c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c]![j]! + spread * rng.normal();
  }
  return { codes: rowMatrix(x, n, d), labels };
}

describe("linear probe", () => {
  const centres = [
    [10, 0, 0, 3],
    [0, 10, 0, 3],
    [0, 0, 10, 3],
  ];

  it("linearly separable classes: held-out accuracy 1", () => {
    const rng = new Rng(1);
    const r = linearProbe(blobs(600, 4, centres, 1, rng), blobs(600, 4, centres, 1, rng));
    expect(r.accuracy).toBe(1);
    expect(r.classes).toBe(3);
    expect(r.chance).toBeLessThan(0.4);
  });

  it("labels unrelated to the codes: held-out accuracy at chance", () => {
    const rng = new Rng(2);
    const r = linearProbe(blobs(1500, 4, centres, 1, rng, true), blobs(3000, 4, centres, 1, rng, true));
    expect(Math.abs(r.accuracy - 1 / 3)).toBeLessThan(0.04);
  });

  it("is deterministic and unmoved by the codes' scale (features are standardised)", () => {
    const rng = new Rng(3);
    const train = blobs(300, 4, centres, 4, rng);
    const test = blobs(300, 4, centres, 4, rng);
    const scaled = (p: typeof train) => ({
      labels: p.labels,
      codes: rowMatrix(
        Float64Array.from(p.codes.data, (v) => 1000 * v + 5),
        p.codes.rows,
        4,
      ),
    });
    const a = linearProbe(train, test);
    expect(linearProbe(train, test)).toEqual(a);
    expect(Math.abs(linearProbe(scaled(train), scaled(test)).accuracy - a.accuracy)).toBeLessThan(0.01);
    expect(a.accuracy).toBeGreaterThan(0.8);
    expect(a.accuracy).toBeLessThan(1);
  });
});
