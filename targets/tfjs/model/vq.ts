/**
 * The vector-quantizing bottleneck: project the last axis to `dim`, replace
 * each vector by its nearest of `codes` codebook vectors, pass the gradient
 * straight through.
 *
 * Codebook: initially uniform in +-sqrt(3 / dim) (each code's expected
 * squared norm is 1). Without `ema` it is a trainable variable (the trainer's
 * codebook loss moves it); with `ema` it is state, updated in afterStep from
 * the last training batch (n_k vectors assigned to code k, s_k their sum):
 *   N_k <- d N_k + (1 - d) n_k          m_k <- d m_k + (1 - d) s_k
 *   e_k  = m_k / Ñ_k,  Ñ_k = (N_k + eps) / (N + K eps) * N,  N = sum_k N_k, eps = 1e-5
 * (the Laplace smoothing of Sonnet's VectorQuantizerEMA, keeping an unused
 * code's count off zero). Unlike Sonnet there is no zero-debiasing: N_k
 * starts at 1 and m_k at e_k, as if each code had been assigned itself
 * once, so an unused code stays where it is instead of collapsing to 0.
 *
 * Restart (`restart: true`): a code is dead when its usage (N_k with ema;
 * without, a separate moving count with decay 0.99) falls below 1% of the
 * mean usage over codes: with decay 0.99, a code unused for a few hundred
 * steps. Dead codes are re-seeded in afterStep from encoder outputs of the
 * batch chosen at random (distinct while the batch has enough vectors),
 * with usage (and N_k, m_k) reset as for a new code.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { VectorQuantizer } from "../../../src/ir/bottleneck.js";
import { BOTTLENECK_MAPS, VQ_TENSORS } from "../../../src/ir/parameters.js";
import { assignCodes, lookupCodes, oneHotFloat } from "../ops/codebook.js";
import { dense, matMulTransposedA } from "../ops/matmul.js";
import { straightThrough } from "../ops/stop-gradient.js";
import type { BottleneckContext, BottleneckPart } from "./bottleneck-part.js";
import { codebookLimit } from "../../../src/ir/init.js";
import { initDense, linearInit } from "./init.js";
import { Pending } from "./pending.js";
import { uniformTensor } from "./random.js";

export const VQ_SMOOTHING_EPSILON = 1e-5;
/** Decay of the usage count that decides restarts when the codebook learns by gradient. */
export const VQ_USAGE_DECAY = 0.99;
/** A code is dead below this fraction of the mean usage. */
export const VQ_DEAD_FRACTION = 0.01;

export function buildVq(b: VectorQuantizer, ctx: BottleneckContext): BottleneckPart {
  const { store, rng } = ctx;
  const inFeatures = b.inShape[b.inShape.length - 1]!;
  const K = b.codes;
  const D = b.dim;
  const { kernel, bias } = initDense(store, BOTTLENECK_MAPS.vqProjection, inFeatures, D, linearInit(ctx.init), rng);
  const initial = uniformTensor([K, D], codebookLimit(D), rng);
  const ema = b.ema;
  const codebook = (ema === null ? store.weight(VQ_TENSORS.codebook, initial) : store.stateVariable(VQ_TENSORS.codebook, initial)) as tf.Variable<tf.Rank.R2>;
  const emaCount = ema === null ? null : store.stateVariable(VQ_TENSORS.emaCount, tf.ones([K]));
  const emaSum = ema === null ? null : store.stateVariable(VQ_TENSORS.emaSum, tf.clone(codebook));
  const usage = ema === null && b.restart ? store.stateVariable(VQ_TENSORS.usage, tf.ones([K])) : emaCount;
  const needsAfterStep = ema !== null || b.restart;
  const pending = new Pending<{ flat: tf.Tensor2D; indices: tf.Tensor1D }>();

  function updateEma(decay: number, flat: tf.Tensor2D, oneHot: tf.Tensor2D, counts: tf.Tensor1D): void {
    const sums = matMulTransposedA(oneHot, flat);
    const n = tf.add(tf.mul(emaCount!, decay), tf.mul(counts, 1 - decay));
    const m = tf.add(tf.mul(emaSum!, decay), tf.mul(sums, 1 - decay));
    const total = tf.sum(n);
    const smoothed = tf.mul(tf.div(tf.add(n, VQ_SMOOTHING_EPSILON), tf.add(total, K * VQ_SMOOTHING_EPSILON)), total);
    emaCount!.assign(n);
    emaSum!.assign(m);
    codebook.assign(tf.div(m, tf.reshape(smoothed, [K, 1])));
  }

  function restartDead(flat: tf.Tensor2D, rng: Rng): void {
    const use = usage!.dataSync() as Float32Array;
    const mean = use.reduce((a, v) => a + v, 0) / K;
    const dead: number[] = [];
    for (let k = 0; k < K; k++) if (use[k]! < VQ_DEAD_FRACTION * mean) dead.push(k);
    if (dead.length === 0) return;
    const rows = pickRows(flat.shape[0], dead.length, rng);
    const fresh = tf.tidy(() => tf.gather(flat, tf.tensor1d(rows, "int32")).dataSync());
    const reseed = (v: tf.Variable, value: (k: number, j: number) => number, width: number) => {
      const data = v.dataSync().slice();
      dead.forEach((k, i) => {
        for (let j = 0; j < width; j++) data[k * width + j] = value(i, j);
      });
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    };
    reseed(codebook, (i, j) => fresh[i * D + j]!, D);
    if (emaSum !== null) reseed(emaSum, (i, j) => fresh[i * D + j]!, D);
    reseed(usage!, () => 1, 1);
  }

  return {
    apply(h, run) {
      const encoded = dense(h, kernel, bias);
      const flat = tf.reshape(encoded, [-1, D]) as tf.Tensor2D;
      const indices = assignCodes(flat, codebook);
      const codes = tf.reshape(lookupCodes(indices, codebook), encoded.shape);
      const quantized = straightThrough(codes, encoded);
      if (run.training && needsAfterStep) pending.hold({ flat, indices });
      return {
        latent: quantized,
        gaussian: null,
        vq: { encoded, quantized, codes, indices: tf.reshape(indices, encoded.shape.slice(0, -1)) },
      };
    },
    afterStep(stepRng) {
      const p = pending.take();
      if (p === null) return;
      tf.tidy(() => {
        const oneHot = oneHotFloat(p.indices, K) as tf.Tensor2D;
        const counts = tf.sum(oneHot, 0) as tf.Tensor1D;
        if (ema !== null) updateEma(ema, p.flat, oneHot, counts);
        else if (b.restart) usage!.assign(tf.add(tf.mul(usage!, VQ_USAGE_DECAY), tf.mul(counts, 1 - VQ_USAGE_DECAY)));
      });
      if (b.restart) restartDead(p.flat, stepRng);
      tf.dispose([p.flat, p.indices]);
    },
    dispose: () => pending.release(),
  };
}

/** `n` row indices of [0, m): distinct when m >= n (a partial Fisher-Yates), else with repeats. */
function pickRows(m: number, n: number, rng: Rng): number[] {
  if (m < n) return Array.from({ length: n }, () => rng.int(m));
  const pool = Array.from({ length: m }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(m - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
