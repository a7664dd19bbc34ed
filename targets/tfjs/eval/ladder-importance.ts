/**
 * Importance samples of a ladder VAE for the IWAE bound: each of the K
 * samples of an example runs the model's own forward pass with
 * `sampleLatent` (targets/tfjs/model/ladder.ts: the whole hierarchy sampled
 * top first, each level's prior from the sample above, merged, sampled; no
 * corruption, dropout in evaluation mode, batchnorm on its moving
 * statistics), and
 *   log w = log p(x|z_0) + log N(z_top; 0, I) + sum_{i<top} log N(z_i; mu_p_i, var_p_i) - sum_i log q(z_i|...)
 * (src/metrics/gaussian-latent.ts). One forward per example, its K samples
 * as K rows, drawing from the sampler's Rng stream "eval": the draws of an
 * example do not depend on how the examples are split into batches.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ladderImportanceLogWeight, type LadderLevelSample } from "../../../src/metrics/gaussian-latent.js";
import type { TfModel } from "../model-api.js";
import { logLikelihood, type ImportanceSampler } from "./importance-samples.js";

/** b x K log-weights (row-major) of b examples x (flattened). */
export async function ladderImportanceLogWeights(model: TfModel, s: ImportanceSampler, x: Float32Array, b: number): Promise<Float64Array> {
  const k = s.samples;
  const features = x.length / b;
  const out = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    // Per level: latent, mean, logVar, then prior mean and logVar below the top.
    const tensors = tf.tidy(() => {
      const xs = tf.tile(tf.tensor2d(x.subarray(i * features, (i + 1) * features), [1, features]), [k, 1]) as tf.Tensor2D;
      const f = model.forward(tf.reshape(xs, [k, ...s.inputShape]), { training: false, sampleLatent: true, rng: s.rng });
      if (f.ladder === null || f.ladder === undefined) throw new Error("internal: the ladder's importance samples need a ladder model");
      const flat = (t: tf.Tensor) => tf.reshape(t, [k, -1]);
      const levels = f.ladder.levels.map((l) => {
        if (l.latent === undefined) throw new Error("internal: a ladder level without its latent");
        return [l.latent, l.mean, l.logVar, ...(l.priorMean === null || l.priorLogVar === null ? [] : [l.priorMean, l.priorLogVar])].map(flat);
      });
      return [logLikelihood(s.likelihood, xs, tf.reshape(f.reconstruction, [k, features]) as tf.Tensor2D), levels] as [tf.Tensor, tf.Tensor[][]];
    });
    try {
      const logLik = await tensors[0].data();
      const levels = await Promise.all(
        tensors[1].map(async (l) => ({ units: l[0]!.shape[1]!, arrays: await Promise.all(l.map(async (t) => (await t.data()) as Float32Array)) })),
      );
      for (let j = 0; j < k; j++) {
        const row = (a: Float32Array, units: number) => a.subarray(j * units, (j + 1) * units);
        const samples: LadderLevelSample[] = levels.map(({ units, arrays: [z, m, lv, pm, plv] }) => ({
          z: row(z!, units),
          mean: row(m!, units),
          logVar: row(lv!, units),
          priorMean: pm === undefined ? null : row(pm, units),
          priorLogVar: plv === undefined ? null : row(plv, units),
        }));
        out[i * k + j] = ladderImportanceLogWeight(logLik[j]!, samples);
      }
    } finally {
      tf.dispose([tensors[0], ...tensors[1].flat()]);
    }
  }
  return out;
}
