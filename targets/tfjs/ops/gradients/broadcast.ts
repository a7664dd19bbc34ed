import * as tf from "@tensorflow/tfjs-core";

/** Sums a gradient of a broadcast result back to the shape of the operand that was broadcast. */
export function unbroadcast(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const axes = tf.backend_util.getReductionAxes([...shape], g.shape);
  const summed = axes.length > 0 ? tf.sum(g, axes) : g;
  return tf.reshape(summed, [...shape]);
}

/** float32 zeros shaped like `t`: the gradient of inputs that do not vary the output (indices, conditions). */
export function zerosOf(t: tf.Tensor): tf.Tensor {
  return tf.zeros(t.shape, "float32");
}
