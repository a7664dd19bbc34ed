/**
 * A direct (loop) convolution in float64 and its gradients, for checking the
 * tfjs ops. Padding as TensorFlow: for `same`, the total padding
 * max((out - 1) s + k - in, 0) split with the smaller half before.
 */
import type { Padding } from "../../../../src/ir/layers.js";

export interface ConvCase {
  readonly batch: number;
  readonly size: number;
  readonly cin: number;
  readonly cout: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: Padding;
}

export function convOutSize(n: number, k: number, s: number, padding: Padding): number {
  return padding === "same" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

function padBefore(n: number, out: number, k: number, s: number, padding: Padding): number {
  return padding === "valid" ? 0 : Math.floor(Math.max((out - 1) * s + k - n, 0) / 2);
}

/**
 * y = conv(x, w) with x [b, n, n, cin], w [k, k, cin, cout]; and, for the
 * loss sum(y * r), the gradients dx and dw.
 */
export function referenceConv(c: ConvCase, x: ArrayLike<number>, w: ArrayLike<number>, r: ArrayLike<number>) {
  const { batch, size: n, cin, cout, kernel: k, stride: s, padding } = c;
  const o = convOutSize(n, k, s, padding);
  const p = padBefore(n, o, k, s, padding);
  const y = new Float64Array(batch * o * o * cout);
  const dx = new Float64Array(batch * n * n * cin);
  const dw = new Float64Array(k * k * cin * cout);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < o; i++)
      for (let j = 0; j < o; j++)
        for (let ki = 0; ki < k; ki++)
          for (let kj = 0; kj < k; kj++) {
            const xi = i * s + ki - p;
            const xj = j * s + kj - p;
            if (xi < 0 || xj < 0 || xi >= n || xj >= n) continue;
            for (let ci = 0; ci < cin; ci++) {
              const xIdx = ((b * n + xi) * n + xj) * cin + ci;
              for (let co = 0; co < cout; co++) {
                const yIdx = ((b * o + i) * o + j) * cout + co;
                const wIdx = ((ki * k + kj) * cin + ci) * cout + co;
                y[yIdx] = y[yIdx]! + x[xIdx]! * w[wIdx]!;
                dx[xIdx] = dx[xIdx]! + r[yIdx]! * w[wIdx]!;
                dw[wIdx] = dw[wIdx]! + x[xIdx]! * r[yIdx]!;
              }
            }
          }
  return { y, dx, dw, outSize: o };
}
