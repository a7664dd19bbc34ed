/**
 * Reconstruction errors per example, with the trainer's definitions
 * (targets/tfjs/train/losses/reconstruction.ts): summed over an example's
 * features; the test-set figure is their mean over examples.
 * - squared error: sum_i (x_i - r_i)^2 (no 1/2 factor);
 * - binary cross-entropy: -sum_i [x_i log p_i + (1 - x_i) log(1 - p_i)] with
 *   p = r clipped to [1e-7, 1 - 1e-7] so that the log stays finite;
 *   meaningful for x in [0, 1].
 * With a mask (1 where a feature counts, 0 elsewhere) only the masked
 * features are summed: the trainer's `on: masked` reconstruction, whose sum
 * runs over the patches hidden from the encoder. Sums run in float64.
 */
import type { RowMatrix } from "./row-matrix.js";

/** The clip of the decoder's probabilities, as the trainer's bernoulli term. */
export const BCE_CLIP = 1e-7;

type PerFeature = (x: number, r: number) => number;

const squared: PerFeature = (x, r) => (x - r) * (x - r);
const crossEntropy: PerFeature = (x, r) => {
  const p = Math.min(1 - BCE_CLIP, Math.max(BCE_CLIP, r));
  return -(x * Math.log(p) + (1 - x) * Math.log(1 - p));
};

function perExample(input: RowMatrix, reconstruction: RowMatrix, f: PerFeature, mask: RowMatrix | null): Float64Array {
  for (const other of mask === null ? [reconstruction] : [reconstruction, mask]) {
    if (input.rows !== other.rows || input.cols !== other.cols) {
      throw new Error(`internal: input ${input.rows} x ${input.cols} and ${other.rows} x ${other.cols} differ`);
    }
  }
  const out = new Float64Array(input.rows);
  const d = input.cols;
  for (let i = 0; i < input.rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      if (mask === null || mask.data[k] !== 0) s += f(input.data[k]!, reconstruction.data[k]!);
    }
    out[i] = s;
  }
  return out;
}

/** sum over (masked) features of (x - r)^2, one value per example (row). */
export function squaredErrorPerExample(input: RowMatrix, reconstruction: RowMatrix, mask: RowMatrix | null = null): Float64Array {
  return perExample(input, reconstruction, squared, mask);
}

/** Binary cross-entropy summed over (masked) features, one value per example (row). */
export function binaryCrossEntropyPerExample(input: RowMatrix, reconstruction: RowMatrix, mask: RowMatrix | null = null): Float64Array {
  return perExample(input, reconstruction, crossEntropy, mask);
}
