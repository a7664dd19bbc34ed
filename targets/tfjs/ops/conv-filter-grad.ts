/**
 * The gradient of a 2-D convolution with respect to its filter. The wasm
 * backend has no Conv2DBackpropFilter kernel, which tfjs-core's conv2d and
 * conv2dTranspose gradients need. It is itself a convolution: with the
 * batch as channels, the input's channels as batch, and dy as the filter,
 * dilated by the stride, so it runs on the fast convolution kernel (im2col
 * with strided slices was 20 to 50 times slower on wasm).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Padding } from "../../../src/ir/layers.js";
import { padAmounts } from "./conv-geometry.js";

/**
 * dL/dW [k, k, cin, cout] of y = conv2d(x, W, stride, padding), from
 * x [b, h, w, cin] and dy = dL/dy [b, oh, ow, cout]:
 * dW[i, j, ci, co] = sum_{b, p, q} xpad[b, p s + i, q s + j, ci] dy[b, p, q, co].
 */
export function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, kernel: number, stride: number, padding: Padding): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, cin] = x.shape;
    const [, oh, ow, cout] = dy.shape;
    const [top, bottom] = padAmounts(h, oh, kernel, stride, padding);
    const [left, right] = padAmounts(w, ow, kernel, stride, padding);
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [cin, h, w, b]: batch as channels
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, b, cout]: the filter
    const g = tf.conv2d(
      xT,
      dyT,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      "NHWC",
      stride,
    ); // [cin, >= k, >= k, cout]
    const cropped = g.shape[1] === kernel && g.shape[2] === kernel ? g : tf.slice(g, [0, 0, 0, 0], [cin, kernel, kernel, cout]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
