/**
 * Importance samples of a ladder VAE for the IWAE bound: each of the K
 * samples of an example runs the model's own forward pass with every level
 * sampled (ModelPort.sampleLadder: the hierarchy sampled top first, each
 * level's prior from the sample above, merged, sampled; no corruption,
 * dropout in evaluation mode, batchnorm on its moving statistics), and
 *   log w = log p(x|z_0) + log N(z_top; 0, I) + sum_{i<top} log N(z_i; mu_p_i, var_p_i) - sum_i log q(z_i|...)
 * (src/metrics/gaussian-latent.ts). One forward per example, its K samples
 * as K rows, drawing from the sampler's Rng stream "eval": the draws of an
 * example do not depend on how the examples are split into batches.
 */
import { ladderImportanceLogWeight, type LadderLevelSample } from "../metrics/gaussian-latent.js";
import { logLikelihood, type ImportanceSampler } from "./importance-samples.js";
import type { ModelPort } from "./model-port.js";

/** b x K log-weights (row-major) of b examples x (flattened). */
export async function ladderImportanceLogWeights(port: ModelPort, s: ImportanceSampler, x: Float32Array, b: number): Promise<Float64Array> {
  const k = s.samples;
  const features = x.length / b;
  const out = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    const rows = new Float32Array(k * features);
    for (let j = 0; j < k; j++) rows.set(x.subarray(i * features, (i + 1) * features), j * features);
    const sample = await port.sampleLadder(rows, k, s.rng);
    for (let j = 0; j < k; j++) {
      const row = (a: Float32Array, units: number) => a.subarray(j * units, (j + 1) * units);
      const levels: LadderLevelSample[] = sample.levels.map((l) => ({
        z: row(l.z, l.units),
        mean: row(l.mean, l.units),
        logVar: row(l.logVar, l.units),
        priorMean: l.priorMean === null ? null : row(l.priorMean, l.units),
        priorLogVar: l.priorLogVar === null ? null : row(l.priorLogVar, l.units),
      }));
      out[i * k + j] = ladderImportanceLogWeight(logLikelihood(s.likelihood, rows, j * features, sample.reconstruction, j * features, features), levels);
    }
  }
  return out;
}
