/**
 * The transposed convolution (conv2DBackpropInput) as one stride-1
 * convolution. The wasm backend's Conv2DBackpropInput is a plain loop, 4 to
 * 10 times slower than its XNNPACK convolution. A stride-s transposed
 * convolution is s^2 ordinary ones, one per output phase (r, c), each with
 * the flipped sub-kernel W[r::s, c::s]; stacked as output channels they make
 * one convolution, and a transpose interleaves the phases (tf.depthToSpace
 * does the same, but is 15 times slower on wasm).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Padding } from "../../../src/ir/layers.js";
import { padAmounts } from "./conv-geometry.js";

/**
 * The input gradient of y = conv2d(x, W, stride, padding): from dy
 * [b, oh, ow, cout] and W [k, k, cin, cout] to `xShape` [b, h, w, cin].
 * It is also the transposed convolution of dy by W.
 *
 * In one axis, with q = Q s + r a position of the padded input and
 * T = ceil(k / s) taps: x[q] = sum_{m < T} dy[Q - m] W[r + m s] (W zero past k),
 * a correlation of dy, padded by T - 1 before, with the sub-kernel flipped.
 */
export function convTranspose(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  xShape: readonly [number, number, number, number],
  stride: number,
  padding: Padding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, wd, cin] = xShape;
    const [, oh, ow, cout] = dy.shape;
    const k = w.shape[0];
    const s = stride;
    const taps = Math.ceil(k / s);
    const [top] = padAmounts(h, oh, k, s, padding);
    const [left] = padAmounts(wd, ow, k, s, padding);
    // Phase rows Q < qh and columns P < qw cover the padded input up to the last row and column needed.
    const qh = Math.ceil((top + h) / s);
    const qw = Math.ceil((left + wd) / s);
    const filter = phaseFilter(w, s, taps);
    // The correlation gives as many rows as dy has (plus the padding after): crop dy when fewer are needed.
    const rowsIn = Math.min(oh, qh);
    const colsIn = Math.min(ow, qw);
    const input = rowsIn < oh || colsIn < ow ? tf.slice(dy, [0, 0, 0, 0], [b, rowsIn, colsIn, cout]) : dy;
    const pads: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [taps - 1, qh - rowsIn],
      [taps - 1, qw - colsIn],
      [0, 0],
    ];
    const phases = tf.conv2d(input as tf.Tensor4D, filter, 1, pads); // [b, qh, qw, s * s * cin]
    // [b qh, qw, r, (c, ci)] -> [b qh, r, qw, (c, ci)] = [b, qh s, qw s, cin].
    const full = s === 1 ? phases : tf.reshape(tf.transpose(tf.reshape(phases, [b * qh, qw, s, s * cin]), [0, 2, 1, 3]), [b, qh * s, qw * s, cin]);
    const exact = top === 0 && left === 0 && qh * s === h && qw * s === wd;
    return (exact ? full : tf.slice(full, [0, top, left, 0], [b, h, wd, cin])) as tf.Tensor4D;
  });
}

/**
 * [taps, taps, cout, s * s * cin]: for phase (r, c), in output channels
 * (r s + c) cin + ci, the sub-kernel W[r + m s, c + n s, ci, :] flipped in m and n.
 */
function phaseFilter(w: tf.Tensor4D, s: number, taps: number): tf.Tensor4D {
  const [k, , cin, cout] = w.shape;
  const extra = taps * s - k;
  const wide =
    extra > 0
      ? tf.pad(w, [
          [0, extra],
          [0, extra],
          [0, 0],
          [0, 0],
        ])
      : w; // zero past k
  const split = tf.reshape(wide, [taps, s, taps, s, cin, cout]); // [m, r, n, c, ci, co]
  const flipped = tf.reverse(split, [0, 2]);
  return tf.reshape(tf.transpose(flipped, [0, 2, 5, 1, 3, 4]), [taps, taps, cout, s * s * cin]) as tf.Tensor4D;
}
