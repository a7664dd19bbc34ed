/**
 * 2-D convolution and transposed convolution (channels-last) with their own
 * gradients: the filter gradient from convFilterGrad (tfjs-core's needs the
 * Conv2DBackpropFilter kernel, which the wasm backend lacks), the transposed
 * direction from convTranspose (wasm's Conv2DBackpropInput is a slow loop).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Padding } from "../../../src/ir/layers.js";
import { convFilterGrad } from "./conv-filter-grad.js";
import { convTranspose } from "./conv-transpose.js";
import { customGrad2 } from "./custom-grad.js";

/** x [b, h, w, cin] * W [k, k, cin, cout] -> [b, oh, ow, cout]. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, padding: Padding): tf.Tensor4D {
  const op = customGrad2((xi: tf.Tensor4D, wi: tf.Tensor4D, save) => {
    save([xi, wi]);
    return {
      value: tf.conv2d(xi, wi, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = convTranspose(dy, sw, sx.shape, stride, padding);
        return [dx, convFilterGrad(sx, dy, sw.shape[0], stride, padding)];
      },
    };
  });
  return op(x, w);
}

/**
 * Transposed convolution: x [b, h, w, cin] and W [k, k, cout, cin] (tfjs's
 * layout: the filter of the convolution it transposes) to `outShape`
 * [b, oh, ow, cout], the size the IR states (the inverse of a strided
 * convolution's size is ambiguous, so it is always given).
 */
export function conv2dTranspose(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  outShape: readonly [number, number, number, number],
  stride: number,
  padding: Padding,
): tf.Tensor4D {
  const op = customGrad2((xi: tf.Tensor4D, wi: tf.Tensor4D, save) => {
    save([xi, wi]);
    return {
      value: convTranspose(xi, wi, outShape, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        // y = conv2dTranspose(x, W) means x = conv2d(y, W) read backwards:
        // the input gradient is that convolution, the filter gradient swaps roles.
        const dx = tf.conv2d(dy, sw, stride, padding);
        return [dx, convFilterGrad(dy, sx, sw.shape[0], stride, padding)];
      },
    };
  });
  return op(x, w);
}
