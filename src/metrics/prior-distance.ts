/**
 * How far a set of codes (the aggregated posterior q(z) = E_x q(z|x), seen
 * through samples) is from the prior N(0, I):
 * - the norm of the codes' mean, |m|;
 * - the Frobenius distance of their covariance (population: divided by n)
 *   from the identity, ||Cov - I||_F;
 * - the unbiased MMD^2 between codes and as many prior draws, with the
 *   kernels of the mmd loss term (targets/tfjs/train/losses/mmd.ts): summed
 *   over the scales s of MMD_SCALES with C = 2 d s, imq C / (C + |x - y|^2),
 *   rbf exp(-|x - y|^2 / C). Its expectation is 0 for codes that follow the
 *   prior, so a single value can be slightly negative.
 * The first two see only the first two moments; the MMD sees the whole
 * distribution (a ring of codes with the right mean and covariance has
 * MMD > 0). Plain typed arrays, float64 sums.
 */
import type { KernelKind } from "../ir/losses.js";
import { permutation, type Rng } from "../data/rng.js";
import { rowMatrix, type RowMatrix } from "./row-matrix.js";

/** The WAE paper's scales (Tolstikhin et al. 2018, code `mmd_penalty`), multiples of 2 d sigma_prior^2. */
export const MMD_SCALES: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10];

/** The kernel at squared distance d2 in dimension `dim`, summed over MMD_SCALES. */
export function kernelSum(d2: number, dim: number, kernel: KernelKind): number {
  let k = 0;
  for (const s of MMD_SCALES) {
    const c = 2 * dim * s;
    k += kernel === "imq" ? c / (c + d2) : Math.exp(-d2 / c);
  }
  return k;
}

function squaredDistance(a: RowMatrix, i: number, b: RowMatrix, j: number): number {
  const d = a.cols;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = a.data[i * d + t]! - b.data[j * d + t]!;
    s += diff * diff;
  }
  return s;
}

/** Mean of k(a_i, b_j) over all pairs, or over i != j when `offDiagonal` (a and b the same sample). */
function kernelMean(a: RowMatrix, b: RowMatrix, kernel: KernelKind, offDiagonal: boolean): number {
  let sum = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let j = offDiagonal ? i + 1 : 0; j < b.rows; j++) sum += kernelSum(squaredDistance(a, i, b, j), a.cols, kernel);
  }
  // Off the diagonal, each unordered pair stands for two ordered ones.
  return offDiagonal ? (2 * sum) / (a.rows * (a.rows - 1)) : sum / (a.rows * b.rows);
}

/** The unbiased MMD^2 (a U-statistic) between two samples of the same size (>= 2) and dimension. */
export function mmdUnbiased(x: RowMatrix, y: RowMatrix, kernel: KernelKind): number {
  if (x.rows < 2 || x.rows !== y.rows || x.cols !== y.cols) {
    throw new Error(`internal: mmd needs two samples of the same shape with at least 2 rows, got ${x.rows} x ${x.cols} and ${y.rows} x ${y.cols}`);
  }
  return kernelMean(x, x, kernel, true) + kernelMean(y, y, kernel, true) - 2 * kernelMean(x, y, kernel, false);
}

/** Mean of the rows. */
export function rowMean(m: RowMatrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j]! += m.data[i * m.cols + j]!;
  return out.map((v) => v / m.rows);
}

/** Population covariance of the rows (divided by n), cols x cols, row-major. */
export function rowCovariance(m: RowMatrix, mean: Float64Array = rowMean(m)): Float64Array {
  const d = m.cols;
  const out = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) centred[j] = m.data[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) for (let k = j; k < d; k++) out[j * d + k]! += centred[j]! * centred[k]!;
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      out[j * d + k]! /= m.rows;
      out[k * d + j] = out[j * d + k]!;
    }
  }
  return out;
}

/** Standard normal draws, rows x cols. */
export function priorSamples(rows: number, cols: number, rng: Rng): RowMatrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return rowMatrix(data, rows, cols);
}

export interface PriorDistance {
  /** |mean of the codes|. */
  readonly meanNorm: number;
  /** ||Cov(codes) - I||_F. */
  readonly covarianceDistance: number;
  /** Unbiased MMD^2 between `mmdSamples` codes (a random subset) and as many prior draws. */
  readonly mmd: number;
  readonly mmdSamples: number;
}

export interface PriorDistanceOptions {
  /** Codes (and prior draws) in the MMD; at most the number of codes. */
  readonly mmdSamples: number;
  readonly kernel?: KernelKind;
  /** Picks the codes' subset and draws the prior samples. */
  readonly rng: Rng;
}

/** Mean and covariance over every code; the MMD on a random subset (its cost grows as the square of the sample). */
export function priorDistance(codes: RowMatrix, opts: PriorDistanceOptions): PriorDistance {
  const d = codes.cols;
  const mean = rowMean(codes);
  const cov = rowCovariance(codes, mean);
  let off = 0;
  for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) off += (cov[j * d + k]! - (j === k ? 1 : 0)) ** 2;
  const m = Math.min(opts.mmdSamples, codes.rows);
  const pick = permutation(codes.rows, opts.rng).slice(0, m);
  const subset = new Float64Array(m * d);
  pick.forEach((row, i) => {
    for (let t = 0; t < d; t++) subset[i * d + t] = codes.data[row * d + t]!;
  });
  const mmd = mmdUnbiased(rowMatrix(subset, m, d), priorSamples(m, d, opts.rng), opts.kernel ?? "imq");
  return { meanNorm: Math.hypot(...mean), covarianceDistance: Math.sqrt(off), mmd, mmdSamples: m };
}
