import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import { auroc } from "../../src/metrics/auroc.js";

/** The definition itself, O(n1 n0): pairs won plus half the ties. */
function pairwise(scores: number[], positive: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!positive[i]) return;
    scores.forEach((t, j) => {
      if (positive[j]) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe("AUROC", () => {
  it("is 1 for a perfect score and 0 for the reversed one", () => {
    const positive = [false, false, true, true, true];
    expect(auroc([0.1, 0.2, 0.5, 0.7, 0.9], positive)).toBe(1);
    expect(auroc([0.9, 0.8, 0.3, 0.2, 0.1], positive)).toBe(0);
  });

  it("a hand case with a tie: positives {3, 2}, negatives {1, 2}: (1 + 1 + 1 + 0.5) / 4", () => {
    expect(auroc([3, 2, 1, 2], [true, true, false, false])).toBe(3.5 / 4);
    expect(auroc([5, 5, 5], [true, false, false])).toBe(0.5);
  });

  it("is about 0.5 for a score unrelated to the labels", () => {
    const rng = new Rng(5);
    const n = 20000;
    const scores = Array.from({ length: n }, () => rng.next());
    const positive = Array.from({ length: n }, () => rng.next() < 0.3);
    expect(Math.abs(auroc(scores, positive) - 0.5)).toBeLessThan(0.015);
  });

  it("equals the pairwise definition, ties counted half", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 30 }), (rows) => {
        const scores = rows.map((r) => r[0]);
        const positive = rows.map((r) => r[1]);
        if (positive.every((p) => p) || positive.every((p) => !p)) {
          expect(auroc(scores, positive)).toBeNaN();
          return;
        }
        expect(auroc(scores, positive)).toBeCloseTo(pairwise(scores, positive), 12);
      }),
    );
  });
});
