import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/data/rng.js";
import { degrees, principalAngles, spanOfRows, topPrincipalComponents } from "../../src/metrics/principal-angles.js";
import { fromRows, rowMatrix } from "../../src/metrics/row-matrix.js";

describe("principal angles", () => {
  it("a subspace against itself, given by another basis: every angle 0", () => {
    const a = spanOfRows(
      fromRows([
        [1, 2, 0, 1],
        [0, 1, 1, -1],
      ]),
    );
    const b = spanOfRows(
      fromRows([
        [1, 3, 1, 0],
        [2, 3, -1, 3],
      ]),
    ); // a's rows: r1 + r2 and 2 r1 - r2
    for (const t of principalAngles(a, b)) expect(degrees(t)).toBeLessThan(1e-6);
  });

  it("orthogonal subspaces: every angle 90 degrees", () => {
    const a = spanOfRows(
      fromRows([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ]),
    );
    const b = spanOfRows(
      fromRows([
        [0, 0, 1, 0],
        [0, 0, 1, 1],
      ]),
    );
    for (const t of principalAngles(a, b)) expect(degrees(t)).toBeCloseTo(90, 9);
  });

  it("a hand case: the xy-plane against the plane of x and (0, cos 30, sin 30): angles 0 and 30 degrees", () => {
    const a = spanOfRows(
      fromRows([
        [1, 0, 0],
        [0, 1, 0],
      ]),
    );
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const b = spanOfRows(
      fromRows([
        [1, 0, 0],
        [0, c, s],
      ]),
    );
    const angles = principalAngles(a, b).map(degrees);
    expect(angles[0]).toBeCloseTo(0, 6);
    expect(angles[1]).toBeCloseTo(30, 9);
  });
});

describe("top principal components", () => {
  it("find the direction data were spread along", () => {
    const rng = new Rng(4);
    const n = 2000;
    const direction = [3, 0, 4].map((v) => v / 5);
    const x = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = 5 * rng.normal();
      for (let j = 0; j < 3; j++) x[i * 3 + j] = 7 + t * direction[j]! + 0.1 * rng.normal();
    }
    const top = topPrincipalComponents(rowMatrix(x, n, 3), 1);
    const angle = principalAngles(top, new Matrix([[0.6], [0], [0.8]]))[0]!;
    expect(degrees(angle)).toBeLessThan(1);
  });

  it("of mostly-zero data (summed over the non-zero entries) are those of the centred covariance", () => {
    const rng = new Rng(11);
    const [n, d, k] = [600, 12, 3];
    const x = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) if (rng.next() < 0.3) x[i] = (1 + (i % d)) * rng.next();
    // The reference: eigenvectors of the centred covariance, computed directly.
    const m = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m.set(i, j, x[i * d + j]!);
    const centred = m.clone().subRowVector(m.mean("column"));
    const eig = new EigenvalueDecomposition(
      centred
        .transpose()
        .mmul(centred)
        .div(n - 1),
      { assumeSymmetric: true },
    );
    const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
    const reference = new Matrix(d, k);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) reference.set(i, j, eig.eigenvectorMatrix.get(i, order[j]![1]));
    const top = topPrincipalComponents(rowMatrix(x, n, d), k);
    for (const angle of principalAngles(top, reference)) expect(degrees(angle)).toBeLessThan(1e-6);
  });
});
