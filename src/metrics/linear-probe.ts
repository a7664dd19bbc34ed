/**
 * Linear probe (Alain and Bengio 2016, "Understanding intermediate layers
 * using linear classifier probes"): how much of the labels a linear
 * classifier can read off the codes. Multinomial logistic regression, fitted
 * on one part of the data, accuracy measured on another.
 *
 * - Features are standardised with the training part's mean and standard
 *   deviation (a constant feature becomes 0), and a bias column is added.
 * - Objective: mean softmax cross-entropy + (l2 / 2) ||W||^2 (the bias is
 *   not penalised); l2 = 1e-3 by default.
 * - Optimiser, deterministic and fixed-length: Nesterov's accelerated full-
 *   batch gradient descent, `iterations` steps (300 by default) of size 1/L
 *   with momentum (t - 1) / (t + 2), from W = 0. L = lambda_max / 2 + l2 bounds
 *   the Hessian (Bohning 1992: the softmax Hessian is at most
 *   (1/2) X^T X / n per class), lambda_max of X^T X / n found by 100 power
 *   iterations from the all-ones vector.
 * - Chance: the share of the held-out part's most frequent class.
 */
import type { RowMatrix } from "./row-matrix.js";

export interface ProbeOptions {
  readonly l2: number;
  readonly iterations: number;
}

export const PROBE_DEFAULTS: ProbeOptions = { l2: 1e-3, iterations: 300 };

export interface LabelledCodes {
  readonly codes: RowMatrix;
  readonly labels: ArrayLike<number>;
}

export interface ProbeResult {
  readonly accuracy: number;
  readonly chance: number;
  readonly classes: number;
  readonly trainExamples: number;
  readonly testExamples: number;
}

interface Design {
  /** n x (d + 1), standardised, last column 1. */
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
}

function standardiser(m: RowMatrix): { mean: Float64Array; scale: Float64Array } {
  const d = m.cols;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < d; j++) mean[j]! += m.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / Math.max(1, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = m.data[i * d + j]! - mean[j]!;
      scale[j]! += v * v;
    }
  }
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / Math.max(1, m.rows));
    scale[j] = sd > 1e-12 ? 1 / sd : 0;
  }
  return { mean, scale };
}

function design(m: RowMatrix, s: { mean: Float64Array; scale: Float64Array }): Design {
  const p = m.cols + 1;
  const x = new Float64Array(m.rows * p);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) x[i * p + j] = (m.data[i * m.cols + j]! - s.mean[j]!) * s.scale[j]!;
    x[i * p + m.cols] = 1;
  }
  return { x, n: m.rows, p };
}

/** Softmax probabilities of every example, n x classes. */
function probabilities(d: Design, w: Float64Array, classes: number): Float64Array {
  const out = new Float64Array(d.n * classes);
  for (let i = 0; i < d.n; i++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = 0;
      for (let j = 0; j < d.p; j++) z += d.x[i * d.p + j]! * w[j * classes + c]!;
      out[i * classes + c] = z;
      max = Math.max(max, z);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(out[i * classes + c]! - max);
      out[i * classes + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) out[i * classes + c] = out[i * classes + c]! / sum;
  }
  return out;
}

function gradient(d: Design, labels: ArrayLike<number>, w: Float64Array, classes: number, l2: number): Float64Array {
  const prob = probabilities(d, w, classes);
  for (let i = 0; i < d.n; i++) prob[i * classes + labels[i]!] = prob[i * classes + labels[i]!]! - 1;
  const g = new Float64Array(w.length);
  for (let i = 0; i < d.n; i++) {
    for (let j = 0; j < d.p; j++) {
      const xij = d.x[i * d.p + j]!;
      if (xij === 0) continue;
      for (let c = 0; c < classes; c++) g[j * classes + c]! += xij * prob[i * classes + c]!;
    }
  }
  for (let k = 0; k < g.length; k++) g[k] = g[k]! / d.n;
  for (let j = 0; j < d.p - 1; j++) for (let c = 0; c < classes; c++) g[j * classes + c]! += l2 * w[j * classes + c]!;
  return g;
}

/** Largest eigenvalue of X^T X / n by power iteration. */
function largestEigenvalue(d: Design): number {
  let v = new Float64Array(d.p).fill(1 / Math.sqrt(d.p));
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    const next = new Float64Array(d.p);
    for (let i = 0; i < d.n; i++) {
      let xv = 0;
      for (let j = 0; j < d.p; j++) xv += d.x[i * d.p + j]! * v[j]!;
      for (let j = 0; j < d.p; j++) next[j]! += (d.x[i * d.p + j]! * xv) / d.n;
    }
    let norm = 0;
    for (const a of next) norm += a * a;
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    lambda = norm;
    v = next.map((a) => a / norm);
  }
  return lambda;
}

/** Fits the probe; returns the weights, (d + 1) x classes, and the standardisation. */
export function fitSoftmaxRegression(train: LabelledCodes, classes: number, opts: ProbeOptions = PROBE_DEFAULTS) {
  const s = standardiser(train.codes);
  const d = design(train.codes, s);
  const step = 1 / (largestEigenvalue(d) / 2 + opts.l2);
  let w = new Float64Array(d.p * classes);
  let previous = w;
  for (let t = 1; t <= opts.iterations; t++) {
    const momentum = (t - 1) / (t + 2);
    const y = w.map((v, k) => v + momentum * (v - previous[k]!));
    const g = gradient(d, train.labels, y, classes, opts.l2);
    previous = w;
    w = y.map((v, k) => v - step * g[k]!);
  }
  return {
    standardise: s,
    weights: w,
    predict(codes: RowMatrix): Int32Array {
      const prob = probabilities(design(codes, s), w, classes);
      const out = new Int32Array(codes.rows);
      for (let i = 0; i < codes.rows; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (prob[i * classes + c]! > prob[i * classes + best]!) best = c;
        out[i] = best;
      }
      return out;
    },
  };
}

/** Fits on `train`, scores on `test`. Labels are 0..classes-1. */
export function linearProbe(train: LabelledCodes, test: LabelledCodes, opts: ProbeOptions = PROBE_DEFAULTS): ProbeResult {
  let classes = 0;
  for (const part of [train, test]) {
    for (let i = 0; i < part.labels.length; i++) {
      const l = part.labels[i]!;
      if (!(Number.isInteger(l) && l >= 0)) throw new Error(`internal: probe label ${l} is not a class index`);
      classes = Math.max(classes, l + 1);
    }
  }
  const model = fitSoftmaxRegression(train, classes, opts);
  const predicted = model.predict(test.codes);
  let correct = 0;
  const counts = new Float64Array(classes);
  for (let i = 0; i < test.codes.rows; i++) {
    if (predicted[i] === test.labels[i]) correct++;
    counts[test.labels[i]!] = counts[test.labels[i]!]! + 1;
  }
  const n = test.codes.rows;
  return {
    accuracy: n === 0 ? NaN : correct / n,
    chance: n === 0 ? NaN : Math.max(...counts) / n,
    classes,
    trainExamples: train.codes.rows,
    testExamples: n,
  };
}
