/**
 * Where a strided convolution's windows fall: the padding that tfjs (and
 * TensorFlow, and ONNX's SAME_UPPER) puts before and after each spatial axis.
 */
import type { Padding } from "../../../src/ir/layers.js";

/** [before, after] padding of one axis for a convolution from `inSize` to `outSize`. */
export function padAmounts(inSize: number, outSize: number, kernel: number, stride: number, padding: Padding): [number, number] {
  if (padding === "valid") return [0, 0];
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
