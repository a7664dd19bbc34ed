import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BCE_CLIP, binaryCrossEntropyPerExample, squaredErrorPerExample } from "../../src/metrics/reconstruction-error.js";
import { fromRows, mean } from "../../src/metrics/row-matrix.js";

describe("reconstruction errors", () => {
  it("squared error sums over features, one value per example", () => {
    const x = fromRows([
      [0, 1, 2],
      [1, 1, 1],
    ]);
    const r = fromRows([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(Array.from(squaredErrorPerExample(x, r))).toEqual([1 + 0 + 4, 0]);
    expect(mean(squaredErrorPerExample(x, r))).toBe(2.5);
  });

  it("with a mask, only the masked features count", () => {
    const x = fromRows([
      [0, 1, 2],
      [1, 1, 1],
    ]);
    const r = fromRows([
      [1, 1, 0],
      [0, 0, 0],
    ]);
    const mask = fromRows([
      [0, 0, 1],
      [1, 0, 1],
    ]);
    expect(Array.from(squaredErrorPerExample(x, r, mask))).toEqual([4, 2]);
    expect(binaryCrossEntropyPerExample(fromRows([[1, 0]]), fromRows([[0.5, 0.5]]), fromRows([[0, 1]]))[0]).toBeCloseTo(Math.log(2), 14);
  });

  it("binary cross-entropy: -log p for ones, -log(1-p) for zeros, clipped", () => {
    const x = fromRows([[1, 0]]);
    const r = fromRows([[0.5, 0.25]]);
    expect(binaryCrossEntropyPerExample(x, r)[0]).toBeCloseTo(Math.log(2) - Math.log(0.75), 12);
    // a certain wrong answer costs -log(1e-7), not infinity
    expect(binaryCrossEntropyPerExample(fromRows([[1]]), fromRows([[0]]))[0]).toBeCloseTo(-Math.log(BCE_CLIP), 6);
  });

  it("both are zero-or-minimal at a perfect reconstruction and never negative", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (xs, rs) => {
          const x = fromRows([xs]);
          const r = fromRows([rs.slice(0, xs.length)]);
          expect(squaredErrorPerExample(x, x)[0]).toBe(0);
          expect(squaredErrorPerExample(x, r)[0]).toBeGreaterThanOrEqual(0);
          // Cross-entropy H(x, r) >= H(x, x) (Gibbs), up to the clip.
          expect(binaryCrossEntropyPerExample(x, r)[0]).toBeGreaterThanOrEqual(binaryCrossEntropyPerExample(x, x)[0]! - 1e-6 * xs.length);
        },
      ),
    );
  });
});
