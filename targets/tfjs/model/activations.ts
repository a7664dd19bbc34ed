/**
 * The activations of docs/language.md, one function each.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ActivationFn } from "../../../src/ir/layers.js";

type ActivationImpl = (x: tf.Tensor, alpha: number) => tf.Tensor;

export const ACTIVATION_FUNCTIONS: Readonly<Record<ActivationFn, ActivationImpl>> = {
  relu: (x) => tf.relu(x),
  leaky_relu: (x, alpha) => tf.leakyRelu(x, alpha),
  // alpha 1, as Keras, PyTorch and ONNX's Elu default.
  elu: (x) => tf.elu(x),
  // The exact form 0.5 x (1 + erf(x / sqrt 2)) (PyTorch's and Keras's default),
  // not the tanh approximation; an ONNX export builds it from Erf.
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  softplus: (x) => tf.softplus(x),
};
