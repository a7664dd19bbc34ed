/**
 * One builder per IR bottleneck kind. Each owns its projection from the
 * encoder's output, a dense map of the last axis (initialised as a linear layer, init.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Bottleneck, BottleneckKind } from "../../../src/ir/bottleneck.js";
import { BOTTLENECK_MAPS } from "../../../src/ir/parameters.js";
import { dense } from "../ops/matmul.js";
import { samplesLatent, type BottleneckContext, type BottleneckPart } from "./bottleneck-part.js";
import { initDense, linearInit } from "./init.js";
import { buildLadder } from "./ladder.js";
import { normalTensor } from "./random.js";
import { buildVq } from "./vq.js";

export type BottleneckBuilder<B extends Bottleneck> = (b: B, ctx: BottleneckContext) => BottleneckPart;

/** A dense head `${name}.kernel`, `${name}.bias` from the last axis of the encoder's output to `units`. */
function head(name: string, inShape: readonly number[], units: number, ctx: BottleneckContext) {
  const inFeatures = inShape[inShape.length - 1]!;
  const { kernel, bias } = initDense(ctx.store, name, inFeatures, units, linearInit(ctx.init), ctx.rng);
  return (h: tf.Tensor) => dense(h, kernel, bias);
}

export const BOTTLENECK_BUILDERS: { readonly [K in BottleneckKind]: BottleneckBuilder<Extract<Bottleneck, { kind: K }>> } = {
  deterministic: (b, ctx) => {
    const project = head(BOTTLENECK_MAPS.deterministic, b.inShape, b.units, ctx);
    return { apply: (h) => ({ latent: project(h), gaussian: null, vq: null }) };
  },
  gaussian: (b, ctx) => {
    const meanHead = head(BOTTLENECK_MAPS.mean, b.inShape, b.units, ctx);
    const logVarHead = head(BOTTLENECK_MAPS.logVar, b.inShape, b.units, ctx);
    return {
      apply(h, run) {
        const mean = meanHead(h);
        const logVar = logVarHead(h);
        // Reparameterised: z = mean + exp(logVar / 2) * eps, eps ~ N(0, I) from the run's Rng.
        const latent = samplesLatent(run) ? tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), normalTensor(mean.shape, run.rng))) : mean;
        return { latent, gaussian: { mean, logVar }, vq: null };
      },
    };
  },
  vq: buildVq,
  ladder: buildLadder,
};
