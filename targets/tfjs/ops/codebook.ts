/**
 * Codebook search and lookup for vector quantization.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customGrad2 } from "./custom-grad.js";
import { matMulTransposedA } from "./matmul.js";

/**
 * Index of the nearest code (squared Euclidean distance) of each row of
 * `z` [m, d] in `codebook` [k, d]: argmin_k (|z|^2 - 2 z.e_k + |e_k|^2),
 * computed in float32 in that order (an exporter must use the same formula
 * to give the same indices). Ties go to the lowest index.
 */
export function nearestCodes(z: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const zz = tf.sum(tf.square(z), 1, true); // [m, 1]
    const ee = tf.sum(tf.square(codebook), 1); // [k]
    // Explicit transpose: wasm's fast matMul takes no transpose flags.
    const cross = tf.matMul(z, tf.transpose(codebook)); // [m, k]
    const distances = tf.add(tf.sub(zz, tf.mul(cross, 2)), ee);
    return tf.argMin(distances, 1) as tf.Tensor1D;
  });
}

/**
 * One-hot rows as float32. tf.oneHot's dtype argument is not honoured by the
 * wasm kernel (it writes int32 bits into the float buffer), so cast instead.
 */
export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(indices, depth), "float32") as tf.Tensor2D);
}

/**
 * nearestCodes as an op with a zero gradient: otherwise the gradient tape
 * would record the distance computation (it lies between z and the loss,
 * through the indices) and backpropagate zeros through all of it.
 */
export const assignCodes = customGrad2((z: tf.Tensor2D, codebook: tf.Tensor2D) => ({
  value: nearestCodes(z, codebook),
  gradFunc: () => [tf.zerosLike(z), tf.zerosLike(codebook)],
}));

/**
 * Codebook rows: oneHot(indices, k) [m, k] x codebook [k, d]. A product, not
 * tf.gather, whose gradient needs UnsortedSegmentSum, a kernel the wasm
 * backend lacks. The gradient reaches the codebook only (oneHot^T dy, with
 * an explicit transpose); indices are constant.
 */
export const lookupCodes = customGrad2((indices: tf.Tensor1D, codebook: tf.Tensor2D, save) => {
  const oneHot = oneHotFloat(indices, codebook.shape[0]) as tf.Tensor2D;
  save([oneHot]);
  return {
    value: tf.matMul(oneHot, codebook) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved) => [tf.zeros(indices.shape, "float32"), matMulTransposedA(saved[0] as tf.Tensor2D, dy)],
  };
});
