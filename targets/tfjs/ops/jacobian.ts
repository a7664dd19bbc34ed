/**
 * The squared Frobenius norm of a chain's Jacobian, per example, in closed
 * form and with first-order gradients only.
 *
 * A stack of dense layers and element-wise maps has, per example, the
 * Jacobian J = H^T D_L W_L^T ... D_1 W_1^T (row-vector convention, y = x W):
 * H the head's kernel, W_i the dense kernels, D_i the diagonal matrices of
 * element-wise derivatives. It is propagated from the code side as a
 * [batch, units, features] tensor: one plain matrix product per dense layer
 * and one broadcast product per element-wise map, so its gradient to the
 * weights is ordinary backpropagation (a gradient of a gradient, which tfjs
 * gets wrong through some ops, is never needed: see
 * train/losses/contractive.ts). While no element-wise map has been met the
 * propagated matrix is the same for every example and stays [units, features].
 * Instead of all `units` rows, k random combinations of them per example may
 * be propagated (JacobianRows), for an unbiased estimate at k / units the cost.
 *
 * The last product, with the input-side kernel W_1 [in, out], is the costly
 * one (in = 784 for MNIST). When it is cheaper, |S W_1^T|^2 is computed as
 * sum(S * (S G)) with G = W_1^T W_1 [out, out].
 */
import * as tf from "@tensorflow/tfjs-core";
import { matMul } from "./matmul.js";

/** One step of the chain, input side first. */
export type ChainFactor =
  /** y = x W + b; the kernel [in, out]. */
  | { readonly kind: "linear"; readonly kernel: tf.Tensor2D }
  /** y_j = f(x_j): the derivatives [batch, features], features the flattened per-example size. */
  | { readonly kind: "diagonal"; readonly derivative: tf.Tensor2D };

/**
 * What is propagated: every row of the Jacobian (exact), or for each example
 * `k` random combinations of its rows, v^T J with v in {-1, 1}^units, rows
 * [batch * k, units] (Hutchinson: E |v^T J|^2 = |J|_F^2 when E v v^T = I).
 */
export type JacobianRows = { readonly kind: "exact" } | { readonly kind: "probes"; readonly probes: tf.Tensor2D; readonly perExample: number };

/** Either shared by every example [rows, features] or per example [batch * rows, features]. */
interface Propagated {
  readonly s: tf.Tensor2D;
  readonly perExample: boolean;
  readonly rows: number;
}

/** S W^T with the transpose made explicit (wasm's fast matrix kernel takes no transpose flags). */
const timesTransposed = (s: tf.Tensor2D, kernel: tf.Tensor2D) => matMul(s, tf.transpose(kernel) as tf.Tensor2D);

function throughDiagonal(p: Propagated, derivative: tf.Tensor2D): Propagated {
  const [batch, features] = derivative.shape;
  const d = tf.reshape(derivative, [batch, 1, features]);
  const s3 = tf.reshape(p.s, [p.perExample ? batch : 1, p.rows, features]);
  return { s: tf.reshape(tf.mul(s3, d), [batch * p.rows, features]) as tf.Tensor2D, perExample: true, rows: p.rows };
}

/** Per-example sums of [batch * rows, features] products (or of a shared matrix's). */
function perExampleSums(p: Propagated, products: tf.Tensor2D, batch: number): tf.Tensor1D {
  if (!p.perExample) return tf.mul(tf.sum(products), tf.ones([batch])) as tf.Tensor1D;
  return tf.sum(tf.reshape(products, [batch, -1]), 1) as tf.Tensor1D;
}

/** Whether |S W^T|^2 is cheaper as sum(S * (S W^T W)): rows out in > in out out + rows out out. */
function gramIsCheaper(p: Propagated, batch: number, kernel: tf.Tensor2D): boolean {
  const [inFeatures, outFeatures] = kernel.shape;
  const rows = p.perExample ? batch * p.rows : p.rows;
  return rows * (inFeatures - outFeatures) > inFeatures * outFeatures;
}

function start(head: tf.Tensor2D, rows: JacobianRows): Propagated {
  const headT = tf.transpose(head) as tf.Tensor2D;
  if (rows.kind === "exact") return { s: headT, perExample: false, rows: head.shape[1] };
  return { s: matMul(rows.probes, headT), perExample: true, rows: rows.perExample };
}

/**
 * |J|_F^2 per example (an unbiased estimate of it with probes), J the
 * Jacobian of x -> head(chain(x)) where `head` is a dense kernel
 * [features, units] (its bias does not matter). `batch` is the number of
 * examples (the diagonal factors carry it too).
 */
export function chainJacobianSquaredNorms(factors: readonly ChainFactor[], head: tf.Tensor2D, batch: number, rows: JacobianRows): tf.Tensor1D {
  let p = start(head, rows);
  const scale = rows.kind === "exact" ? 1 : 1 / rows.perExample;
  const scaled = (sums: tf.Tensor1D) => (scale === 1 ? sums : (tf.mul(sums, scale) as tf.Tensor1D));
  for (let i = factors.length - 1; i >= 0; i--) {
    const f = factors[i]!;
    if (f.kind === "diagonal") {
      p = throughDiagonal(p, f.derivative);
      continue;
    }
    if (i === 0 && gramIsCheaper(p, batch, f.kernel)) {
      const gram = matMul(tf.transpose(f.kernel) as tf.Tensor2D, f.kernel);
      return scaled(perExampleSums(p, tf.mul(p.s, matMul(p.s, gram)) as tf.Tensor2D, batch));
    }
    p = { ...p, s: timesTransposed(p.s, f.kernel) };
  }
  return scaled(perExampleSums(p, tf.square(p.s) as tf.Tensor2D, batch));
}
