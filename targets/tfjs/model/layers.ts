/**
 * One builder per IR layer kind. Every layer is batch-first and
 * channels-last; shapes are the IR's, never re-derived.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Layer, LayerKind } from "../../../src/ir/layers.js";
import { conv2d, conv2dTranspose } from "../ops/conv.js";
import { dense } from "../ops/matmul.js";
import { ACTIVATION_FUNCTIONS } from "./activations.js";
import { convFans, deconvFans } from "../../../src/ir/init.js";
import { initDense, initWeights } from "./init.js";
import { buildBatchNorm, buildLayerNorm } from "./normalization.js";
import type { BuildContext, Part } from "./parts.js";
import { bernoulliTensor } from "./random.js";

export type LayerBuilder<L extends Layer> = (layer: L, ctx: BuildContext) => Part;

const last = (s: readonly number[]) => s[s.length - 1]!;
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export const LAYER_BUILDERS: { readonly [K in LayerKind]: LayerBuilder<Extract<Layer, { kind: K }>> } = {
  dense: (layer, ctx) => {
    const inFeatures = last(layer.inShape);
    const { kernel, bias } = initDense(ctx.store, ctx.prefix, inFeatures, layer.units, ctx.init, ctx.rng);
    return { apply: (x) => dense(x, kernel, bias) };
  },
  conv: (layer, ctx) => {
    const cin = last(layer.inShape);
    const w = initWeights(ctx.store, ctx.prefix, [layer.kernel, layer.kernel, cin, layer.filters], layer.filters, ctx.init, convFans(layer), ctx.rng);
    const kernel = w.kernel as tf.Variable<tf.Rank.R4>;
    return { apply: (x) => tf.add(conv2d(x as tf.Tensor4D, kernel, layer.stride, layer.padding), w.bias) };
  },
  deconv: (layer, ctx) => {
    const cin = last(layer.inShape);
    // tfjs's layout for conv2dTranspose: [k, k, out channels, in channels].
    const weights = initWeights(ctx.store, ctx.prefix, [layer.kernel, layer.kernel, layer.filters, cin], layer.filters, ctx.init, deconvFans(layer), ctx.rng);
    const kernel = weights.kernel as tf.Variable<tf.Rank.R4>;
    const bias = weights.bias;
    const [h, w, c] = layer.outShape as [number, number, number];
    return {
      apply: (x) => tf.add(conv2dTranspose(x as tf.Tensor4D, kernel, [x.shape[0], h, w, c], layer.stride, layer.padding), bias),
    };
  },
  flatten: (layer) => ({ apply: (x) => tf.reshape(x, [x.shape[0], product(layer.inShape)]) }),
  reshape: (layer) => ({ apply: (x) => tf.reshape(x, [x.shape[0], ...layer.target]) }),
  dropout: (layer) => ({
    // Inverted dropout: kept units are scaled by 1 / (1 - rate) in training, so evaluation is the identity.
    apply: (x, run) => (run.training && layer.rate > 0 ? tf.mul(x, bernoulliTensor(x.shape, layer.rate, 1 / (1 - layer.rate), 0, run.rng)) : x),
  }),
  batchnorm: buildBatchNorm,
  layernorm: buildLayerNorm,
  activation: (layer) => {
    const fn = ACTIVATION_FUNCTIONS[layer.fn];
    return { apply: (x) => fn(x, layer.alpha) };
  },
};
