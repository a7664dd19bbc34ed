/**
 * Reconstruction terms: a negative log-likelihood of the clean input under the
 * decoder's output, summed over an example's features and averaged over the batch.
 * - mse: squared error (no 1/2 factor, as written in most autoencoder papers);
 * - bernoulli: binary cross-entropy, the decoder's outputs read as
 *   probabilities, clipped to [1e-7, 1 - 1e-7] so log stays finite;
 * - gaussian: unit-variance Gaussian NLL, 0.5 (x - r)^2 + 0.5 log(2 pi) per feature.
 *
 * `on: masked` (masked autoencoders) counts only the features the mask hid
 * from the encoder: the sum runs over hidden features (every example hides
 * the same number of patches, so this is the MAE mean over masked patches
 * times a constant). Where no mask was applied (evaluation runs without
 * corruption) every feature counts.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Likelihood } from "../../../../src/ir/losses.js";
import { fusedBernoulliNll } from "../../ops/bernoulli-nll.js";
import { customGrad1 } from "../../ops/custom-grad.js";

export const BERNOULLI_CLIP = 1e-7;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

type PerFeature = (x: tf.Tensor, r: tf.Tensor) => tf.Tensor;

/**
 * tf.clipByValue to [BERNOULLI_CLIP, 1 - BERNOULLI_CLIP], the same values and,
 * for a finite dy, the same gradient (dy where r is inside or on a bound, 0
 * where clipped or NaN), in three
 * kernels instead of tfjs's five (two comparisons, logicalAnd, zerosLike,
 * select): r passed through exactly where the clipped value equals it.
 */
export const clipProbabilities = customGrad1((r: tf.Tensor, save) => {
  const p = tf.clipByValue(r, BERNOULLI_CLIP, 1 - BERNOULLI_CLIP);
  save([r, p]);
  return { value: p, gradFunc: (dy: tf.Tensor, [sr, sp]) => tf.mul(dy, tf.cast(tf.equal(sr!, sp!), "float32")) };
});

/** The Bernoulli term with tfjs's ops: every backend, and any input. */
function bernoulliOps(x: tf.Tensor, r: tf.Tensor): tf.Tensor {
  const p = clipProbabilities(r);
  return tf.neg(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))));
}

/** Whether `t` is the output of an op being recorded for a gradient (then it may depend on the weights). */
function recordedOnTape(t: tf.Tensor): boolean {
  const tape = (tf.engine().state as unknown as { activeTape: { outputs: tf.Tensor[] }[] | null }).activeTape;
  return tape !== null && tape.some((node) => node.outputs.some((o) => o.id === t.id));
}

/**
 * One native kernel each way on wasm+blas (ops/bernoulli-nll.ts), the same
 * values within float32 rounding; its gradient reaches r only, so inputs
 * that are themselves computed under the tape take tfjs's ops.
 */
function bernoulli(x: tf.Tensor, r: tf.Tensor): tf.Tensor {
  const fused =
    x.dtype === "float32" && r.dtype === "float32" && tf.util.arraysEqual(x.shape, r.shape) && !recordedOnTape(x)
      ? fusedBernoulliNll(BERNOULLI_CLIP, 1 - BERNOULLI_CLIP)
      : null;
  return fused === null ? bernoulliOps(x, r) : fused(x, r);
}

const PER_FEATURE: Record<Likelihood, PerFeature> = {
  mse: (x, r) => tf.squaredDifference(x, r),
  bernoulli,
  gaussian: (x, r) => tf.add(tf.mul(0.5, tf.squaredDifference(x, r)), HALF_LOG_TWO_PI),
};

/** The term's value: sum over each example's features, mean over the batch. */
export function reconstructionLoss(likelihood: Likelihood, input: tf.Tensor, reconstruction: tf.Tensor, hidden: tf.Tensor | null = null): tf.Scalar {
  return tf.tidy(() => {
    const all = PER_FEATURE[likelihood](input, reconstruction);
    const perFeature = hidden === null ? all : tf.mul(all, hidden);
    const batch = input.shape[0]!;
    return tf.mean(tf.sum(tf.reshape(perFeature, [batch, -1]), 1)) as tf.Scalar;
  });
}
