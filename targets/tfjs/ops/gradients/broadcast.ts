import * as tf from "@tensorflow/tfjs-core";

/** Sums a gradient of a broadcast result back to the shape of the operand that was broadcast. */
export function unbroadcast(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  // A new tensor object even when nothing is summed (a clone shares the data): tfjs's backprop disposes an
  // input's accumulated gradient when another arrives, so the two inputs of an Add must never share dy itself.
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return tf.clone(g);
  const axes = tf.backend_util.getReductionAxes([...shape], g.shape);
  const summed = axes.length > 0 ? tf.sum(g, axes) : g;
  return tf.reshape(summed, [...shape]);
}

/** float32 zeros shaped like `t`: the gradient of inputs that do not vary the output (indices, conditions). */
export function zerosOf(t: tf.Tensor): tf.Tensor {
  return tf.zeros(t.shape, "float32");
}
