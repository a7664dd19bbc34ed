/**
 * Metrics of a Gaussian bottleneck q(z|x) = N(mu(x), diag(exp(logVar(x)))) under
 * the standard normal prior p(z) = N(0, I).
 *
 * - KL per unit: KL_j(x) = 0.5 (mu_j^2 + exp(logVar_j) - 1 - logVar_j), in
 *   nats, averaged over examples (the trainer's closed form, losses/kl.ts);
 *   for a ladder level, against its own top-down Gaussian prior.
 * - Active units (Burda, Grosse, Salakhutdinov 2016, "Importance Weighted
 *   Autoencoders", section 5.2): unit j is active when
 *   A_j = Cov_x(E_q[z_j]) = the variance over the data of mu_j(x) exceeds
 *   0.01. The variance is the population one (divided by n), as the trainer's
 *   targets/tfjs/train/latent-stats.ts computes it.
 * - IWAE bound (Burda et al. 2016, eq. 8): with K samples z_k ~ q(z|x) and
 *   log-weights log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x),
 *   L_K(x) = log (1/K) sum_k w_k, computed as a stable log-mean-exp. L_1 is
 *   the one-sample ELBO; L_K rises towards log p(x) with K; the test-set
 *   negative log-likelihood estimate is -mean_x L_K(x).
 * - A ladder VAE (Sønderby et al. 2016; docs/ladder-vae.md) samples the whole
 *   hierarchy top first, z_top ~ q(z_top|x), z_i ~ q(z_i|x, z_{i+1}) (the merged
 *   posterior), and its generative model is p(x|z_0) N(z_top; 0, I)
 *   prod_{i<top} N(z_i; mu_p_i(z_{i+1}), var_p_i(z_{i+1})), so
 *   log w = log p(x|z_0) + log N(z_top; 0, I) + sum_{i<top} log N(z_i; mu_p_i, var_p_i)
 *           - sum_i log q(z_i|...), each density summed over the level's units.
 */
import { column, type RowMatrix } from "./row-matrix.js";

export const ACTIVE_UNIT_VARIANCE = 0.01;
const LOG_TWO_PI = Math.log(2 * Math.PI);

/** A diagonal Gaussian per example: mean and log-variance, examples x units. */
export interface DiagonalGaussians {
  readonly mean: RowMatrix;
  readonly logVar: RowMatrix;
}

/**
 * Mean over examples (rows) of the KL of each unit (column), in nats:
 * against N(0, 1), or against a prior of its own per example (a ladder
 * level's top-down prior): KL(N(m, v) || N(pm, pv)) = 0.5 (log(pv / v) + (v + (m - pm)^2) / pv - 1).
 */
export function klPerUnit(mean: RowMatrix, logVar: RowMatrix, prior: DiagonalGaussians | null = null): Float64Array {
  if (mean.rows !== logVar.rows || mean.cols !== logVar.cols) throw new Error("internal: mean and logVar differ in shape");
  if (
    prior !== null &&
    (prior.mean.rows !== mean.rows || prior.mean.cols !== mean.cols || prior.logVar.rows !== mean.rows || prior.logVar.cols !== mean.cols)
  ) {
    throw new Error("internal: the prior differs in shape from the posterior");
  }
  const out = new Float64Array(mean.cols);
  if (mean.rows === 0) return out;
  for (let i = 0; i < mean.rows; i++) {
    for (let j = 0; j < mean.cols; j++) {
      const k = i * mean.cols + j;
      const m = mean.data[k]!;
      const lv = logVar.data[k]!;
      const pm = prior === null ? 0 : prior.mean.data[k]!;
      const plv = prior === null ? 0 : prior.logVar.data[k]!;
      out[j]! += 0.5 * (plv - lv + (Math.exp(lv) + (m - pm) * (m - pm)) / Math.exp(plv) - 1);
    }
  }
  for (let j = 0; j < out.length; j++) out[j] = out[j]! / mean.rows;
  return out;
}

/** Variance over examples (population, two-pass) of each unit's posterior mean, and how many exceed the threshold. */
export function activeUnits(mean: RowMatrix, threshold = ACTIVE_UNIT_VARIANCE): { active: number; variances: Float64Array } {
  const variances = new Float64Array(mean.cols);
  let active = 0;
  for (let j = 0; j < mean.cols; j++) {
    const c = column(mean, j);
    let m = 0;
    for (const v of c) m += v;
    m /= Math.max(1, c.length);
    let s = 0;
    for (const v of c) s += (v - m) * (v - m);
    variances[j] = c.length === 0 ? 0 : s / c.length;
    if (variances[j]! > threshold) active++;
  }
  return { active, variances };
}

/** log((1/n) sum_i exp(v_i)) without overflow: the maximum is taken out first. -Infinity for no values. */
export function logMeanExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  if (values.length === 0 || max === -Infinity) return -Infinity;
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s / values.length);
}

/** L_K of each example from its K log-weights (one row per example, K columns), and their mean. */
export function iwaeBound(logWeights: RowMatrix): { perExample: Float64Array; mean: number } {
  const k = logWeights.cols;
  const perExample = new Float64Array(logWeights.rows);
  const row = new Float64Array(k);
  let sum = 0;
  for (let i = 0; i < logWeights.rows; i++) {
    for (let j = 0; j < k; j++) row[j] = logWeights.data[i * k + j]!;
    perExample[i] = logMeanExp(row);
    sum += perExample[i]!;
  }
  return { perExample, mean: logWeights.rows === 0 ? NaN : sum / logWeights.rows };
}

/** log N(z; 0, I) of one latent vector. */
export function standardNormalLogDensity(z: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < z.length; j++) s += z[j]! * z[j]! + LOG_TWO_PI;
  return -0.5 * s;
}

/** log N(z; mean, diag(exp(logVar))) of one latent vector. */
export function diagonalGaussianLogDensity(z: ArrayLike<number>, mean: ArrayLike<number>, logVar: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < z.length; j++) {
    const d = z[j]! - mean[j]!;
    s += (d * d) / Math.exp(logVar[j]!) + logVar[j]! + LOG_TWO_PI;
  }
  return -0.5 * s;
}

/** log w = log p(x|z) + log p(z) - log q(z|x) for one sample z of q(z|x). */
export function importanceLogWeight(logLikelihood: number, z: ArrayLike<number>, mean: ArrayLike<number>, logVar: ArrayLike<number>): number {
  return logLikelihood + standardNormalLogDensity(z) - diagonalGaussianLogDensity(z, mean, logVar);
}

/** One level of a sample of a ladder's hierarchy: its latent, the posterior it was drawn from, its prior (null: N(0, I), the top). */
export interface LadderLevelSample {
  readonly z: ArrayLike<number>;
  readonly mean: ArrayLike<number>;
  readonly logVar: ArrayLike<number>;
  readonly priorMean: ArrayLike<number> | null;
  readonly priorLogVar: ArrayLike<number> | null;
}

/** log w of one sample of a ladder's whole hierarchy (levels in any order): log p(x|z_0) + sum_i (log p(z_i|z_{i+1}) - log q(z_i|...)). */
export function ladderImportanceLogWeight(logLikelihood: number, levels: readonly LadderLevelSample[]): number {
  let w = logLikelihood;
  for (const l of levels) {
    const prior = l.priorMean === null || l.priorLogVar === null ? standardNormalLogDensity(l.z) : diagonalGaussianLogDensity(l.z, l.priorMean, l.priorLogVar);
    w += prior - diagonalGaussianLogDensity(l.z, l.mean, l.logVar);
  }
  return w;
}
