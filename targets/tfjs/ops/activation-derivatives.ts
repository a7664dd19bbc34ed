/**
 * The derivative of each activation of docs/language.md, as differentiable tfjs
 * ops of the pre-activation (a contractive penalty's gradient goes through
 * them, so the smooth ones must carry second derivatives). Each matches the
 * function in targets/tfjs/model/activations.ts.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ActivationFn } from "../../../src/ir/layers.js";

type Derivative = (x: tf.Tensor, alpha: number) => tf.Tensor;

/** 1 / sqrt(2 pi), the standard normal density at 0. */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export const ACTIVATION_DERIVATIVES: Readonly<Record<ActivationFn, Derivative>> = {
  // Piecewise constant: Step's gradient is zero. At 0 both take the left side, as tfjs's relu gradient does.
  relu: (x) => tf.step(x),
  leaky_relu: (x, alpha) => tf.add(tf.mul(tf.step(x), 1 - alpha), alpha),
  // 1 for x > 0, exp(x) below: exp(min(x, 0)).
  elu: (x) => tf.exp(tf.neg(tf.relu(tf.neg(x)))),
  // d/dx [x Phi(x)] = Phi(x) + x phi(x).
  gelu: (x) => tf.add(tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5), tf.mul(x, tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), INV_SQRT_2PI))),
  tanh: (x) => tf.sub(1, tf.square(tf.tanh(x))),
  sigmoid: (x) => {
    const s = tf.sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  },
  softplus: (x) => tf.sigmoid(x),
};
