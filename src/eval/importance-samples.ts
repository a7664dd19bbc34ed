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
 * on the scale of the training loss, not in nats of a density). Sums run in
 * float64 over the decoder's float32 output.
 */
import { Rng } from "../data/rng.js";
import type { Likelihood } from "../ir/losses.js";
import { importanceLogWeight } from "../metrics/gaussian-latent.js";
import { BCE_CLIP } from "../metrics/reconstruction-error.js";
import type { ModelPort } from "./model-port.js";

export interface ImportanceSampler {
  readonly samples: number;
  readonly likelihood: Likelihood;
  readonly rng: Rng;
}

export function importanceSampler(seed: number, samples: number, likelihood: Likelihood): ImportanceSampler {
  return { samples, likelihood, rng: new Rng(seed, "eval") };
}

/** Most latent rows decoded at once. */
const MAX_DECODE_ROWS = 2048;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log p(x|r) of one example: x and r of `features` values from their offsets. */
export function logLikelihood(likelihood: Likelihood, x: Float32Array, xAt: number, r: Float32Array, rAt: number, features: number): number {
  let s = 0;
  switch (likelihood) {
    case "bernoulli":
      for (let j = 0; j < features; j++) {
        const p = Math.min(1 - BCE_CLIP, Math.max(BCE_CLIP, r[rAt + j]!));
        const v = x[xAt + j]!;
        s += v * Math.log(p) + (1 - v) * Math.log(1 - p);
      }
      return s;
    case "gaussian":
      for (let j = 0; j < features; j++) s -= 0.5 * (x[xAt + j]! - r[rAt + j]!) ** 2 + HALF_LOG_TWO_PI;
      return s;
    case "mse":
      for (let j = 0; j < features; j++) s -= (x[xAt + j]! - r[rAt + j]!) ** 2;
      return s;
  }
}

/** b x K log-weights (row-major) of b examples x (flattened) with posterior (mean, logVar), each b x units. */
export async function importanceLogWeights(
  port: ModelPort,
  s: ImportanceSampler,
  x: Float32Array,
  b: number,
  mean: Float32Array,
  logVar: Float32Array,
): Promise<Float64Array> {
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
    const r = await port.decodeLatent(z.subarray(start * units, end * units), end - start);
    // Row q of z belongs to example floor(q / k).
    for (let q = start; q < end; q++) logLik[q] = logLikelihood(s.likelihood, x, Math.floor(q / k) * features, r, (q - start) * features, features);
  }
  const out = new Float64Array(b * k);
  for (let i = 0; i < b; i++) {
    const mu = mean.subarray(i * units, (i + 1) * units);
    const lv = logVar.subarray(i * units, (i + 1) * units);
    for (let j = 0; j < k; j++) out[i * k + j] = importanceLogWeight(logLik[i * k + j]!, z.subarray((i * k + j) * units, (i * k + j + 1) * units), mu, lv);
  }
  return out;
}
