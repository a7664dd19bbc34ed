/**
 * The Wasserstein autoencoder's penalty (Tolstikhin et al. 2018, WAE-MMD):
 * the maximum mean discrepancy between the batch's codes and as many samples
 * of the prior N(0, I), by the unbiased estimator (a U-statistic):
 *
 *   MMD^2 = mean_{i != j} k(z_i, z_j) + mean_{i != j} k(p_i, p_j) - 2 mean_{i, j} k(z_i, p_j)
 *
 * (the cross term has no diagonal to leave out: z_i and p_i are independent).
 * Its expectation is the population MMD^2, exactly 0 when the codes follow
 * the prior; a single batch's value can be negative.
 *
 * Kernels, each summed over the scales s in {0.1, 0.2, 0.5, 1, 2, 5, 10}
 * with C = 2 d_z s (d_z the code's size):
 * - imq: k(x, y) = C / (C + |x - y|^2);
 * - rbf: k(x, y) = exp(-|x - y|^2 / C).
 * Reading of the WAE paper's code (tolstikhin/wae, `mmd_penalty`): for a
 * normal prior `Cbase = 2 * zdim * sigma2_p` and `C = Cbase * scale` for
 * scale in [.1, .2, .5, 1, 2, 5, 10]; our prior has sigma2_p = 1, so C =
 * 2 d_z s: 2 d_z is E|x - y|^2 for two independent draws of the prior, and
 * the scales spread the kernel's width around it. The paper's own RBF uses a
 * median heuristic instead; ours uses the same fixed scales as imq, so both
 * kernels are smooth functions of the codes with no data-dependent width.
 * src/metrics/prior-distance.ts computes the same estimator in float64 for
 * evaluation (the figure prior-match); the tests hold the two together.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelKind } from "../../../../src/ir/losses.js";
import type { Rng } from "../../../../src/data/rng.js";
import { MMD_SCALES } from "../../../../src/metrics/prior-distance.js";
import { normalTensor } from "../../model/random.js";

/** Squared Euclidean distances between the rows of a [n, d] and b [m, d]: [n, m]. */
function squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const na = tf.sum(tf.square(a), 1, true);
  const nb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
  const d = tf.sub(tf.add(na, nb), tf.mul(2, tf.matMul(a, b, false, true)));
  // Rounding can leave a tiny negative where two rows (nearly) coincide.
  return tf.relu(d) as tf.Tensor2D;
}

/** The kernel matrix k(a_i, b_j), summed over MMD_SCALES: [n, m]. a and b are [n, d] and [m, d]. */
export function kernelMatrix(a: tf.Tensor2D, b: tf.Tensor2D, kernel: KernelKind): tf.Tensor2D {
  return tf.tidy(() => {
    const dz = a.shape[1];
    const d2 = squaredDistances(a, b);
    const parts = MMD_SCALES.map((s) => {
      const c = 2 * dz * s;
      return kernel === "imq" ? tf.div(c, tf.add(c, d2)) : tf.exp(tf.div(d2, -c));
    });
    return tf.addN(parts) as tf.Tensor2D;
  });
}

/** Mean of the off-diagonal entries of a square [n, n] matrix (n >= 2). */
function offDiagonalMean(k: tf.Tensor2D): tf.Scalar {
  const n = k.shape[0];
  const offDiagonal = tf.sub(tf.sum(k), tf.sum(tf.mul(k, tf.eye(n))));
  return tf.div(offDiagonal, n * (n - 1)) as tf.Scalar;
}

/**
 * The unbiased MMD^2 between two samples of equal size, rows of [n, d]; n >= 2
 * (with fewer rows there is no pair inside a sample: an internal error).
 */
export function mmdUnbiased(x: tf.Tensor2D, y: tf.Tensor2D, kernel: KernelKind): tf.Scalar {
  const n = x.shape[0];
  if (n < 2 || y.shape[0] !== n || y.shape[1] !== x.shape[1]) {
    throw new Error(`internal: mmd needs two samples of the same shape with at least 2 rows, got [${x.shape}] and [${y.shape}]`);
  }
  return tf.tidy(() => {
    const within = tf.add(offDiagonalMean(kernelMatrix(x, x, kernel)), offDiagonalMean(kernelMatrix(y, y, kernel)));
    const cross = tf.mean(kernelMatrix(x, y, kernel));
    return tf.sub(within, tf.mul(2, cross)) as tf.Scalar;
  });
}

/**
 * The term: weight * MMD^2 between the codes (a code map flattened per
 * example) and as many prior draws, taken on the CPU from `rng` so runs are
 * reproducible and a resume continues the same stream. A batch of one
 * example has no pair inside its sample and contributes 0 (only a last,
 * partial batch can be that small: the target refuses `batch: 1`).
 */
export function mmdLoss(latent: tf.Tensor, weight: number, kernel: KernelKind, rng: Rng): tf.Scalar {
  return tf.tidy(() => {
    const n = latent.shape[0]!;
    if (n < 2) return tf.mul(tf.sum(latent), 0) as tf.Scalar;
    const codes = tf.reshape(latent, [n, -1]) as tf.Tensor2D;
    const prior = normalTensor([n, codes.shape[1]], rng) as tf.Tensor2D;
    return tf.mul(mmdUnbiased(codes, prior, kernel), weight) as tf.Scalar;
  });
}
