import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparePathToStraight, linearInterpolation, pathLength } from "../../src/metrics/interpolation-path.js";
import { fromRows } from "../../src/metrics/row-matrix.js";

describe("interpolation path length", () => {
  it("a straight, evenly spaced path has ratio 1", () => {
    const frames = linearInterpolation([0, 0], [3, 4], 6);
    expect(frames.rows).toBe(6);
    expect(Array.from(frames.data).slice(10, 12)).toEqual([3, 4]);
    const c = comparePathToStraight(frames);
    expect(c.decodedLength).toBeCloseTo(5, 12);
    expect(c.straightLength).toBeCloseTo(5, 12);
    expect(c.ratio).toBeCloseTo(1, 12);
  });

  it("a hand case: the path (0,0) -> (1,0) -> (1,1) is 2 long against a straight sqrt 2", () => {
    const c = comparePathToStraight(
      fromRows([
        [0, 0],
        [1, 0],
        [1, 1],
      ]),
    );
    expect(c.decodedLength).toBe(2);
    expect(c.ratio).toBeCloseTo(Math.SQRT2, 12);
  });

  it("going back and forth counts twice; coinciding ends give no ratio", () => {
    expect(pathLength(fromRows([[0], [2], [0]]))).toBe(4);
    expect(comparePathToStraight(fromRows([[0], [2], [0]])).ratio).toBeNull();
  });

  it("no path is shorter than the straight line between its ends (ratio >= 1)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 10 }),
        (rows) => {
          const c = comparePathToStraight(fromRows(rows));
          expect(c.decodedLength).toBeGreaterThanOrEqual(c.straightLength - 1e-9);
        },
      ),
    );
  });
});
