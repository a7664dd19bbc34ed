/**
 * The KL term of a Gaussian bottleneck against the standard normal prior,
 * closed form: KL_j = 0.5 (mu_j^2 + exp(logVar_j) - 1 - logVar_j) per unit.
 *
 * Schedule: the weight is beta * min(1, progress / warmup), where progress
 * counts fractional epochs (epoch e, batch s of n, all 0-based: e + s / n),
 * so it rises linearly from 0 at the first batch to beta after `warmup`
 * epochs; warmup 0 means beta from the start.
 *
 * Free bits (Kingma et al. 2016, "Improved variational inference with inverse
 * autoregressive flow", eq. 15): the penalty is sum_j max(lambda, mean over the
 * batch of KL_j), so a unit whose average KL is below lambda nats costs a
 * constant lambda and gets no gradient pushing it further towards the prior.
 * With lambda = 0 this is the usual KL summed over units, mean over the batch.
 *
 * A ladder VAE (docs/ladder-vae.md): every level's KL against its own
 * prior (the top's N(0, I), the others' the top-down Gaussian, closed form
 * below), free bits per unit and level, summed over levels; one weight (the
 * same beta and warm-up) for all levels.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Forward, LadderLevelOut } from "../../model-api.js";

/** KL(q || N(0, I)) of each example and unit: shape [batch, units] (a latent map is flattened). */
export function gaussianKl(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = mean.shape[0]!;
    const mu = tf.reshape(mean, [batch, -1]);
    const lv = tf.reshape(logVar, [batch, -1]);
    return tf.mul(0.5, tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(lv)), 1), lv)) as tf.Tensor2D;
  });
}

/** The weight of the KL term after `progress` fractional epochs: beta times the warm-up's factor. */
export function klWeight(beta: number, warmup: number, progress: number): number {
  return beta * warmupFactor(warmup, progress);
}

/** The warm-up's ramp after `progress` fractional epochs: min(1, progress / warmup); 1 without a warm-up. */
export function warmupFactor(warmup: number, progress: number): number {
  if (warmup <= 0) return 1;
  return Math.min(1, Math.max(0, progress) / warmup);
}

/** sum_j max(freeBits, mean over the batch of KL_j): the free-bits penalty before weighting. */
export function freeBitsKl(perUnit: tf.Tensor2D, freeBits: number): tf.Scalar {
  return tf.tidy(() => {
    const meanPerUnit = tf.mean(perUnit, 0);
    return tf.sum(freeBits > 0 ? tf.maximum(meanPerUnit, freeBits) : meanPerUnit) as tf.Scalar;
  });
}

/**
 * KL(N(mean, e^logVar) || N(priorMean, e^priorLogVar)) of each example and unit, shape [batch, units]:
 * 0.5 (lv_p - lv + (e^lv + (mu - mu_p)^2) / e^lv_p - 1), with the divisions written as exp(-lv_p) products.
 */
export function gaussianToGaussianKl(mean: tf.Tensor, logVar: tf.Tensor, priorMean: tf.Tensor, priorLogVar: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = mean.shape[0]!;
    const flat = (t: tf.Tensor) => tf.reshape(t, [batch, -1]);
    const [mu, lv, muP, lvP] = [flat(mean), flat(logVar), flat(priorMean), flat(priorLogVar)];
    const spread = tf.add(tf.exp(tf.sub(lv, lvP)), tf.mul(tf.square(tf.sub(mu, muP)), tf.exp(tf.neg(lvP))));
    return tf.mul(0.5, tf.sub(tf.add(tf.sub(lvP, lv), spread), 1)) as tf.Tensor2D;
  });
}

/** One ladder level's KL per example and unit, against its prior (N(0, I) at the top). */
export function ladderLevelKl(level: LadderLevelOut): tf.Tensor2D {
  if (level.priorMean === null || level.priorLogVar === null) return gaussianKl(level.mean, level.logVar);
  return gaussianToGaussianKl(level.mean, level.logVar, level.priorMean, level.priorLogVar);
}

/** The kl term's penalty before weighting: free bits over a Gaussian's units, or summed over a ladder's levels. */
export function klPenalty(forward: Forward, freeBits: number): tf.Scalar {
  const levels = forward.ladder?.levels;
  if (levels !== undefined) return tf.tidy(() => tf.addN(levels.map((l) => freeBitsKl(ladderLevelKl(l), freeBits))) as tf.Scalar);
  const g = forward.gaussian;
  if (g === null) throw new Error("internal: the model's forward pass has no gaussian or ladder output");
  return freeBitsKl(gaussianKl(g.mean, g.logVar), freeBits);
}
