/**
 * The VQ-VAE terms (van den Oord et al. 2017, eq. 3), each a squared distance
 * summed over the code dimension and averaged over latent vectors (every
 * position of every example):
 * - commitment: beta * ||z_e - sg(e)||^2, pulls the encoder towards its codes;
 * - codebook: ||sg(z_e) - e||^2, moves the codes towards the encoder outputs;
 *   only when the codebook learns by gradient (with `ema` the codebook follows
 *   moving averages instead, in the model's afterStep).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { VqOut } from "../../model-api.js";
import { stopGradient } from "../../ops/stop-gradient.js";

/** Mean over latent vectors of the squared distance between a and b (last axis summed). */
function meanSquaredDistance(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.sum(tf.squaredDifference(a, b), -1)) as tf.Scalar;
}

export function commitmentLoss(vq: VqOut, beta: number, learnCodebook: boolean): tf.Scalar {
  return tf.tidy(() => {
    const commit = tf.mul(beta, meanSquaredDistance(vq.encoded, stopGradient(vq.codes)));
    if (!learnCodebook) return commit as tf.Scalar;
    return tf.add(commit, meanSquaredDistance(stopGradient(vq.encoded), vq.codes)) as tf.Scalar;
  });
}
