/**
 * Importance samples of a Gaussian bottleneck for the IWAE bound: for each
 * example, K draws z_k = mu + exp(logVar / 2) eps_k with eps_k from the
 * run's Rng stream "eval" (drawn example by example, sample by sample, so
 * the numbers do not depend on the batch size), decoded by the trained
 * decoder; log w_k = log p(x|z_k) + log N(z_k; 0, I) - log q(z_k|x).
 *
 * log p(x|z) is minus the model's reconstruction term of that example (its
 * likelihood: bernoulli and gaussian are normalised densities; mse, the
 * squared error without a variance, is an unnormalised one, so its "NLL" is
 * on the scale of the training loss, not in nats of a density).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../src/data/rng.js";
import type { Likelihood } from "../../../src/ir/losses.js";
import { importanceLogWeight } from "../../../src/metrics/gaussian-latent.js";
import { BCE_CLIP } from "../../../src/metrics/reconstruction-error.js";
import type { LatentDecoder } from "./latent-decoder.js";

export interface ImportanceSampler {
  readonly samples: number;
  readonly likelihood: Likelihood;
  readonly decoder: LatentDecoder;
  /** The latent shape the decoder reads, without the batch. */
  readonly latentShape: readonly number[];
  readonly inputShape: readonly number[];
  readonly rng: Rng;
}

export function importanceSampler(
  seed: number,
  samples: number,
  likelihood: Likelihood,
  decoder: LatentDecoder,
  latentShape: readonly number[],
  inputShape: readonly number[],
): ImportanceSampler {
  return { samples, likelihood, decoder, latentShape, inputShape, rng: new Rng(seed, "eval") };
}

/** Most latent rows decoded at once. */
const MAX_DECODE_ROWS = 2048;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log p(x|z) of each row, summed over features, as tensors: [rows]. */
export function logLikelihood(likelihood: Likelihood, x: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor {
  switch (likelihood) {
    case "bernoulli": {
      const p = tf.clipByValue(r, BCE_CLIP, 1 - BCE_CLIP);
      return tf.sum(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))), 1);
    }
    case "gaussian":
      return tf.neg(tf.sum(tf.add(tf.mul(0.5, tf.squaredDifference(x, r)), HALF_LOG_TWO_PI), 1));
    case "mse":
      return tf.neg(tf.sum(tf.squaredDifference(x, r), 1));
  }
}

/** b x K log-weights (row-major) of b examples x (flattened) with posterior (mean, logVar), each b x units. */
export async function importanceLogWeights(s: ImportanceSampler, x: Float32Array, b: number, mean: Float32Array, logVar: Float32Array): Promise<Float64Array> {
  const k = s.samples;
  const units = mean.length / b;
  const features = x.length / b;
  const z = new Float32Array(b * k * units);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < k; j++) {
      for (let u = 0; u < units; u++) {
        const m = mean[i * units + u]!;
        z[(i * k + j) * units + u] = m + Math.exp(0.5 * logVar[i * units + u]!) * s.rng.normal();
      }
    }
  }
  const logLik = new Float64Array(b * k);
  const rows = b * k;
  const chunk = Math.max(1, Math.min(rows, MAX_DECODE_ROWS));
  for (let start = 0; start < rows; start += chunk) {
    const end = Math.min(rows, start + chunk);
    const part = tf.tidy(() => {
      const zs = tf.tensor(z.subarray(start * units, end * units), [end - start, ...s.latentShape]);
      const r = tf.reshape(s.decoder.decode(zs), [end - start, features]) as tf.Tensor2D;
      // Row i * k + j of z belongs to example i.
      const exampleOf = tf.tensor1d(
        Int32Array.from({ length: end - start }, (_, q) => Math.floor((start + q) / k)),
        "int32",
      );
      const xs = tf.gather(tf.tensor2d(x, [b, features]), exampleOf) as tf.Tensor2D;
      return logLikelihood(s.likelihood, xs, r);
    });
    logLik.set(await part.data(), start);
    part.dispose();
  }
  const out = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    const mu = mean.subarray(i * units, (i + 1) * units);
    const lv = logVar.subarray(i * units, (i + 1) * units);
    for (let j = 0; j < k; j++) out[i * k + j] = importanceLogWeight(logLik[i * k + j]!, z.subarray((i * k + j) * units, (i * k + j + 1) * units), mu, lv);
  }
  return out;
}
