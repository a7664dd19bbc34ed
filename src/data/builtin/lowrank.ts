import { makeDataset, observedRange, type Dataset, type Split } from "../dataset.js";
import { Rng } from "../rng.js";
import { streamName, testCountFor } from "./sizes.js";

/**
 * Gaussian data near a rank-dimensional subspace: x = A z + eps, z ~ N(0, I_rank),
 * eps ~ N(0, LOWRANK_NOISE^2 I_dim). A (dim x rank) has orthogonal columns of
 * lengths from 2 down to just above 1, drawn once from the seed; so the
 * covariance has `rank` eigenvalues in (1, 4] and the rest 1e-4: the top
 * subspace (the one PCA and a linear autoencoder find) is unambiguous.
 * The training set is centred on its own mean; the test set (testCountFor(count)
 * examples, the seed's "test" stream, same A) is shifted by the same mean.
 */
export const LOWRANK_NOISE = 0.01;

/** A, row-major dim x rank. Requires 1 <= rank <= dim. */
export function lowrankBasis(dim: number, rank: number, seed: number): Float64Array {
  if (!(rank >= 1 && rank <= dim)) throw new Error(`internal: lowrank needs 1 <= rank <= dim, got rank ${rank}, dim ${dim}`);
  const rng = new Rng(seed, streamName("lowrank", "basis"));
  const cols: Float64Array[] = [];
  for (let j = 0; j < rank; j++) {
    const c = new Float64Array(dim);
    // Gram-Schmidt against the earlier columns, twice for round-off; redraw a degenerate column.
    for (let norm = 0; norm < 1e-6;) {
      for (let i = 0; i < dim; i++) c[i] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (const q of cols) {
          let dot = 0;
          for (let i = 0; i < dim; i++) dot += c[i]! * q[i]!;
          for (let i = 0; i < dim; i++) c[i] = c[i]! - dot * q[i]!;
        }
      }
      norm = 0;
      for (let i = 0; i < dim; i++) norm += c[i]! * c[i]!;
      norm = Math.sqrt(norm);
      if (norm >= 1e-6) for (let i = 0; i < dim; i++) c[i] = c[i]! / norm;
    }
    cols.push(c);
  }
  const a = new Float64Array(dim * rank);
  for (let j = 0; j < rank; j++) {
    const length = 2 - j / rank;
    for (let i = 0; i < dim; i++) a[i * rank + j] = cols[j]![i]! * length;
  }
  return a;
}

function sample(a: Float64Array, dim: number, rank: number, count: number, rng: Rng): Float64Array {
  const x = new Float64Array(count * dim);
  const z = new Float64Array(rank);
  for (let n = 0; n < count; n++) {
    for (let j = 0; j < rank; j++) z[j] = rng.normal();
    for (let i = 0; i < dim; i++) {
      let v = LOWRANK_NOISE * rng.normal();
      for (let j = 0; j < rank; j++) v += a[i * rank + j]! * z[j]!;
      x[n * dim + i] = v;
    }
  }
  return x;
}

function shifted(x: Float64Array, mean: Float64Array, dim: number, count: number): Dataset {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - mean[i % dim]!;
  return makeDataset({ x: out, shape: [dim], count, range: observedRange(out) });
}

export function loadLowrank(dim: number, rank: number, count: number, seed: number): Split {
  const a = lowrankBasis(dim, rank, seed);
  const train = sample(a, dim, rank, count, new Rng(seed, streamName("lowrank", "train")));
  const testCount = testCountFor(count);
  const test = sample(a, dim, rank, testCount, new Rng(seed, streamName("lowrank", "test")));
  const mean = new Float64Array(dim);
  for (let i = 0; i < train.length; i++) mean[i % dim]! += train[i]! / count;
  return { train: shifted(train, mean, dim, count), test: shifted(test, mean, dim, testCount) };
}
