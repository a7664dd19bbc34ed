/**
 * The Bernoulli negative log-likelihood per feature,
 * -(x log p + (1 - x) log(1 - p)) with p = r clipped to [lo, hi], as one
 * kernel forward and one backward on wasm+blas (native/bernoulli-kernel.ts),
 * where tfjs's ops take about ten and fifteen. Its gradient flows into r
 * only: callers use it where x is data, not a function of the weights
 * (reconstruction.ts checks). Elsewhere `fusedBernoulliNll` is null.
 */
import * as tf from "@tensorflow/tfjs-core";
import { BERNOULLI_NLL, BERNOULLI_NLL_GRAD, type ClipBounds } from "../native/bernoulli-kernel.js";
import { customGrad1 } from "./custom-grad.js";

/** The fused op for x and r of one shape, float32, or null when the backend in use has no such kernel. */
export function fusedBernoulliNll(lo: number, hi: number): ((x: tf.Tensor, r: tf.Tensor) => tf.Tensor) | null {
  if (tf.getKernel(BERNOULLI_NLL, tf.getBackend()) === undefined) return null;
  const attrs: ClipBounds = { lo, hi };
  return (x, r) => {
    // x enters by closure (and is saved for the backward pass), so the gradient reaches r alone.
    const op = customGrad1((rr: tf.Tensor, save) => {
      save([x, rr]);
      return {
        value: tf.engine().runKernel(BERNOULLI_NLL, { x, r: rr }, attrs) as tf.Tensor,
        gradFunc: (dy, [sx, sr]) => tf.engine().runKernel(BERNOULLI_NLL_GRAD, { x: sx!, r: sr!, dy }, attrs) as tf.Tensor,
      };
    });
    return op(r);
  };
}
