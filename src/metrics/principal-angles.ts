/**
 * Principal angles between two subspaces of R^d (Bjorck and Golub 1973,
 * "Numerical methods for computing angles between linear subspaces"): with
 * orthonormal bases Q1 (d x k1) and Q2 (d x k2), the cosines of the angles
 * are the singular values of Q1^T Q2, so theta_i = arccos(sigma_i), in
 * [0, pi/2], min(k1, k2) of them, smallest first. 0 everywhere: the same
 * subspace; pi/2: orthogonal directions.
 *
 * And the subspace they are compared with: the top-k principal components
 * of a data set, eigenvectors of its covariance (centred, divided by n - 1)
 * with the k largest eigenvalues.
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";
import type { RowMatrix } from "./row-matrix.js";

/** A d x k matrix whose columns span a subspace, given as k rows of length d (one spanning vector a row). */
export function spanOfRows(vectors: RowMatrix): Matrix {
  const m = new Matrix(vectors.cols, vectors.rows);
  for (let i = 0; i < vectors.rows; i++) for (let j = 0; j < vectors.cols; j++) m.set(j, i, vectors.data[i * vectors.cols + j]!);
  return m;
}

/** An orthonormal basis (d x k) of the column space of a full-rank d x k matrix (thin QR). */
export function orthonormalBasis(a: Matrix): Matrix {
  return new QrDecomposition(a).orthogonalMatrix.subMatrix(0, a.rows - 1, 0, a.columns - 1);
}

/**
 * Principal angles in radians, smallest first, between the column spaces of
 * two d x k matrices. Small angles come from their sines, the singular values
 * of (I - Q1 Q1^T) Q2 (arccos is ill-conditioned near 1), the others from the
 * cosines, as Bjorck and Golub advise.
 */
export function principalAngles(a: Matrix, b: Matrix): number[] {
  if (a.rows !== b.rows) throw new Error(`internal: subspaces of R^${a.rows} and R^${b.rows}`);
  // The sines need the smaller subspace second.
  const [wide, narrow] = a.columns >= b.columns ? [a, b] : [b, a];
  const q1 = orthonormalBasis(wide);
  const q2 = orthonormalBasis(narrow);
  const values = (m: Matrix) =>
    new SingularValueDecomposition(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
  const projection = q1.transpose().mmul(q2);
  const k = narrow.columns;
  const cosines = values(projection)
    .slice(0, k)
    .sort((x, y) => y - x);
  const sines = values(Matrix.sub(q2, q1.mmul(projection)))
    .slice(0, k)
    .sort((x, y) => x - y);
  return cosines.map((c, i) => (c >= Math.SQRT1_2 ? Math.asin(Math.min(1, sines[i]!)) : Math.acos(Math.max(-1, Math.min(1, c)))));
}

/** The top-k principal directions (d x k, unit columns, largest variance first) of the rows of x. */
export function topPrincipalComponents(x: RowMatrix, k: number): Matrix {
  const { rows: n, cols: d } = x;
  if (!(k >= 1 && k <= d && n >= 2)) throw new Error(`internal: ${k} components of ${n} points in R^${d}`);
  const mean = new Float64Array(d);
  let zeros = 0;
  for (let i = 0; i < n * d; i++) {
    const v = x.data[i]!;
    mean[i % d]! += v;
    if (v === 0) zeros++;
  }
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const cov = zeros > (n * d) / 2 ? sparseScatter(x, mean) : centredScatter(x, mean);
  const c = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1);
      c.set(a, b, v);
      c.set(b, a, v);
    }
  }
  const eig = new EigenvalueDecomposition(c, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  const out = new Matrix(d, k);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) out.set(i, j, eig.eigenvectorMatrix.get(i, order[j]![1]));
  return out;
}

/** The upper triangle of sum_i (x_i - mean)(x_i - mean)^T, row by row. */
function centredScatter(x: RowMatrix, mean: Float64Array): Float64Array {
  const { rows: n, cols: d } = x;
  const out = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x.data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) out[a * d + b]! += ra * row[b]!;
    }
  }
  return out;
}

/**
 * The same for mostly-zero data (MNIST: about 150 of 784 pixels a row are not 0), as
 * X^T X - n mean mean^T with X^T X summed over each row's non-zero entries only: 60,000 MNIST
 * rows in about a second rather than half a minute. With most entries 0 the mean is small
 * against the spread, so the subtraction loses little.
 */
function sparseScatter(x: RowMatrix, mean: Float64Array): Float64Array {
  const { rows: n, cols: d } = x;
  const out = new Float64Array(d * d);
  const at = new Int32Array(d);
  const values = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      const v = x.data[i * d + j]!;
      if (v === 0) continue;
      at[m] = j;
      values[m++] = v;
    }
    for (let p = 0; p < m; p++) {
      const row = at[p]! * d;
      const vp = values[p]!;
      for (let q = p; q < m; q++) out[row + at[q]!]! += vp * values[q]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) out[a * d + b] = out[a * d + b]! - n * mean[a]! * mean[b]!;
  return out;
}

export const degrees = (radians: number): number => (radians * 180) / Math.PI;
