/**
 * tfjs has no stop-gradient op; a custom gradient that returns zeros is one.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customGrad1 } from "./custom-grad.js";

const stop = customGrad1((x: tf.Tensor) => ({
  // clone: the op's output must be a tensor distinct from its input.
  value: tf.clone(x),
  gradFunc: (dy) => tf.zerosLike(dy),
}));

/** The value of `x`, with no gradient flowing back into it. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}

/**
 * The straight-through estimator of VQ-VAE: the value of `zq`, the gradient
 * of `ze` (ze + sg(zq - ze)); the decoder's gradient reaches the encoder as
 * if quantization were the identity. In float32 the value equals zq up to
 * rounding (about 1e-7 relative).
 */
export function straightThrough<T extends tf.Tensor>(zq: T, ze: T): T {
  return tf.add(ze, stopGradient(tf.sub(zq, ze))) as T;
}
