/**
 * Batch and layer normalisation on the last axis, with a trainable scale
 * (gamma, initially 1) and offset (beta, initially 0).
 *
 * Batch normalisation uses the batch's statistics in training and the moving
 * ones at evaluation. The moving statistics are updated in afterStep, from
 * the statistics the last training forward kept, Keras's way:
 * moving = momentum * moving + (1 - momentum) * batch, with the biased batch
 * variance (divided by n, as the normalisation itself uses).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BatchNorm, LayerNorm } from "../../../src/ir/layers.js";
import { tensorName } from "../../../src/ir/parameters.js";
import type { BuildContext, Part } from "./parts.js";
import { Pending } from "./pending.js";

function affine(ctx: BuildContext, features: number) {
  return {
    gamma: ctx.store.weight(tensorName(ctx.prefix, "gamma"), tf.ones([features])),
    beta: ctx.store.weight(tensorName(ctx.prefix, "beta"), tf.zeros([features])),
  };
}

function normalise(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, epsilon: number, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

export function buildBatchNorm(layer: BatchNorm, ctx: BuildContext): Part {
  const features = layer.inShape[layer.inShape.length - 1]!;
  const { gamma, beta } = affine(ctx, features);
  const movingMean = ctx.store.stateVariable(tensorName(ctx.prefix, "moving_mean"), tf.zeros([features]));
  const movingVariance = ctx.store.stateVariable(tensorName(ctx.prefix, "moving_variance"), tf.ones([features]));
  const pending = new Pending<{ mean: tf.Tensor; variance: tf.Tensor }>();
  return {
    apply(x, run) {
      if (!run.training) return normalise(x, movingMean, movingVariance, layer.epsilon, gamma, beta);
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(x, axes);
      pending.hold({ mean, variance });
      return normalise(x, mean, variance, layer.epsilon, gamma, beta);
    },
    afterStep() {
      const batch = pending.take();
      if (batch === null) return;
      const m = layer.momentum;
      tf.tidy(() => {
        movingMean.assign(tf.add(tf.mul(movingMean, m), tf.mul(batch.mean, 1 - m)));
        movingVariance.assign(tf.add(tf.mul(movingVariance, m), tf.mul(batch.variance, 1 - m)));
      });
      tf.dispose([batch.mean, batch.variance]);
    },
    dispose: () => pending.release(),
  };
}

export function buildLayerNorm(layer: LayerNorm, ctx: BuildContext): Part {
  const { gamma, beta } = affine(ctx, layer.inShape[layer.inShape.length - 1]!);
  return {
    apply(x) {
      const { mean, variance } = tf.moments(x, -1, true);
      return normalise(x, mean, variance, layer.epsilon, gamma, beta);
    },
  };
}
