/**
 * The ladder VAE bottleneck (Sønderby et al. 2016), exactly as
 * docs/ladder-vae.md and src/ir/bottleneck.ts describe it (the ONNX
 * exporter follows the same text, so names, shapes and draw orders matter):
 *
 *   bottom-up:  d_{-1} = h,  d_i = elu(up_i(d_{i-1})),  q_i = N(q_mean_i(d_i), exp q_logvar_i(d_i))
 *   top-down:   the top level's posterior is q_top, its prior N(0, I);
 *               below it t_i = elu(down_i(z_{i+1} [, t_{i+1} with skip])),
 *               prior p_i = N(p_mean_i(t_i), exp p_logvar_i(t_i)),
 *               posterior = the precision-weighted merge of q_i and p_i
 *   z_i samples the posterior in training or with sampleLatent (eps drawn top first), is its mean otherwise.
 *
 * Variables `bottleneck.level{i}.{up,q_mean,q_logvar,down,p_mean,p_logvar}.{kernel,bias}`,
 * Glorot-uniform kernels [in, out] and zero biases, drawn bottom-up heads
 * first (level 0 up, q_mean, q_logvar, level 1, ...), then the top-down maps
 * from level L-2 down to level 0.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Ladder } from "../../../src/ir/bottleneck.js";
import type { Dense } from "../../../src/ir/layers.js";
import { ladderMapPrefix } from "../../../src/ir/parameters.js";
import type { LadderLevelOut } from "../model-api.js";
import { dense } from "../ops/matmul.js";
import { samplesLatent, type BottleneckContext, type BottleneckPart, type BottleneckRun } from "./bottleneck-part.js";
import { initDense, linearInit } from "./init.js";
import { normalTensor } from "./random.js";

type Linear = (x: tf.Tensor) => tf.Tensor;

/** A dense map `${name}.kernel` [in, units], `${name}.bias` [units] on the last axis. */
function denseMap(name: string, d: Dense, ctx: BottleneckContext): Linear {
  const inFeatures = d.inShape[d.inShape.length - 1]!;
  const { kernel, bias } = initDense(ctx.store, name, inFeatures, d.units, linearInit(ctx.init), ctx.rng);
  return (x) => dense(x, kernel, bias);
}

/**
 * The precision-weighted merge of N(qMean, e^qLogVar) and N(pMean, e^pLogVar)
 * (Sønderby et al. 2016, eq. 17): var = 1 / (1/var_q + 1/var_p),
 * mean = (mean_q / var_q + mean_p / var_p) var. Computed in the equivalent
 * form that never exponentiates a log-variance (a large negative one would
 * overflow 1 / var in float32):
 *   logVar = lv_q - softplus(lv_q - lv_p)
 *   mean   = mean_p + sigmoid(lv_p - lv_q) (mean_q - mean_p)
 */
export function mergeGaussians(qMean: tf.Tensor, qLogVar: tf.Tensor, pMean: tf.Tensor, pLogVar: tf.Tensor): { mean: tf.Tensor; logVar: tf.Tensor } {
  const logVar = tf.sub(qLogVar, tf.softplus(tf.sub(qLogVar, pLogVar)));
  const weightQ = tf.sigmoid(tf.sub(pLogVar, qLogVar));
  const mean = tf.add(pMean, tf.mul(weightQ, tf.sub(qMean, pMean)));
  return { mean, logVar };
}

interface LevelMaps {
  readonly up: Linear;
  readonly qMean: Linear;
  readonly qLogVar: Linear;
  /** null at the top. */
  readonly topDown: { readonly down: Linear; readonly pMean: Linear; readonly pLogVar: Linear } | null;
}

export function buildLadder(b: Ladder, ctx: BottleneckContext): BottleneckPart {
  const top = b.levels.length - 1;
  const bottomUp = b.levels.map((l, i) => ({
    up: denseMap(ladderMapPrefix(i, "up"), l.up, ctx),
    qMean: denseMap(ladderMapPrefix(i, "q_mean"), l.qMean, ctx),
    qLogVar: denseMap(ladderMapPrefix(i, "q_logvar"), l.qLogVar, ctx),
  }));
  const topDown: LevelMaps["topDown"][] = b.levels.map(() => null);
  for (let i = top - 1; i >= 0; i--) {
    const l = b.levels[i]!;
    if (l.down === null || l.pMean === null || l.pLogVar === null) throw new Error(`internal: ladder level ${i} below the top has no top-down maps`);
    topDown[i] = {
      down: denseMap(ladderMapPrefix(i, "down"), l.down, ctx),
      pMean: denseMap(ladderMapPrefix(i, "p_mean"), l.pMean, ctx),
      pLogVar: denseMap(ladderMapPrefix(i, "p_logvar"), l.pLogVar, ctx),
    };
  }
  const levels: LevelMaps[] = bottomUp.map((m, i) => ({ ...m, topDown: topDown[i] ?? null }));

  /** t_i from the level above's latent z_{i+1} and, with skip, its state t_{i+1} (null when level i + 1 is the top). */
  function state(i: number, zAbove: tf.Tensor, tAbove: tf.Tensor | null): tf.Tensor {
    const input = b.skip && tAbove !== null ? tf.concat([zAbove, tAbove], -1) : zAbove;
    return tf.elu(levels[i]!.topDown!.down(input));
  }

  const sample = (mean: tf.Tensor, logVar: tf.Tensor, run: BottleneckRun) =>
    samplesLatent(run) ? tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), normalTensor(mean.shape, run.rng))) : mean;

  return {
    apply(h, run) {
      let d = h;
      const q = levels.map((m) => {
        d = tf.elu(m.up(d));
        return { mean: m.qMean(d), logVar: m.qLogVar(d) };
      });
      const out: LadderLevelOut[] = new Array<LadderLevelOut>(levels.length);
      let z = sample(q[top]!.mean, q[top]!.logVar, run);
      out[top] = { mean: q[top]!.mean, logVar: q[top]!.logVar, priorMean: null, priorLogVar: null, latent: z };
      let t: tf.Tensor | null = null;
      for (let i = top - 1; i >= 0; i--) {
        t = state(i, z, t);
        const priorMean = levels[i]!.topDown!.pMean(t);
        const priorLogVar = levels[i]!.topDown!.pLogVar(t);
        const merged = mergeGaussians(q[i]!.mean, q[i]!.logVar, priorMean, priorLogVar);
        z = sample(merged.mean, merged.logVar, run);
        out[i] = { ...merged, priorMean, priorLogVar, latent: z };
      }
      return { latent: z, gaussian: null, vq: null, ladder: { levels: out } };
    },
    // Generation: the top-down path on prior means, no merge, no sampling.
    fromPrior(zTop) {
      let z = zTop;
      let t: tf.Tensor | null = null;
      for (let i = top - 1; i >= 0; i--) {
        t = state(i, z, t);
        z = levels[i]!.topDown!.pMean(t);
      }
      return z;
    },
    priorShape: [b.levels[top]!.units],
  };
}
