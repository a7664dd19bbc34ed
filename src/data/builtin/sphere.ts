import { makeDataset, type Dataset, type Split } from "../dataset.js";
import { Rng } from "../rng.js";
import { streamName, testCountFor } from "./sizes.js";

/**
 * Points uniform on the unit sphere S^(dim-1) in R^dim (a normalised
 * Gaussian vector) plus isotropic Gaussian noise of standard deviation
 * `noise`. Test set: testCountFor(count) points from the seed's "test" stream.
 */
export function generateSphere(dim: number, noise: number, count: number, rng: Rng): Dataset {
  const x = new Float32Array(count * dim);
  const g = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    while (norm === 0) {
      norm = 0;
      for (let j = 0; j < dim; j++) {
        g[j] = rng.normal();
        norm += g[j]! * g[j]!;
      }
      norm = Math.sqrt(norm);
    }
    for (let j = 0; j < dim; j++) x[i * dim + j] = g[j]! / norm + noise * rng.normal();
  }
  return makeDataset({ x, shape: [dim], count });
}

export function loadSphere(dim: number, noise: number, count: number, seed: number): Split {
  return {
    train: generateSphere(dim, noise, count, new Rng(seed, streamName("sphere", "train"))),
    test: generateSphere(dim, noise, testCountFor(count), new Rng(seed, streamName("sphere", "test"))),
  };
}
