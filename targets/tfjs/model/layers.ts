/**
 * One builder per IR layer kind. Every layer is batch-first and
 * channels-last; shapes are the IR's, never re-derived.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Layer, LayerKind } from "../../../src/ir/layers.js";
import { conv2d, conv2dTranspose } from "../ops/conv.js";
import { dense } from "../ops/matmul.js";
import { ACTIVATION_FUNCTIONS } from "./activations.js";
import { initLimit } from "./init.js";
import { buildBatchNorm, buildLayerNorm } from "./normalization.js";
import type { BuildContext, Part } from "./parts.js";
import { bernoulliTensor, uniformTensor } from "./random.js";

export type LayerBuilder<L extends Layer> = (layer: L, ctx: BuildContext) => Part;

const last = (s: readonly number[]) => s[s.length - 1]!;
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export const LAYER_BUILDERS: { readonly [K in LayerKind]: LayerBuilder<Extract<Layer, { kind: K }>> } = {
  dense: (layer, ctx) => {
    const inFeatures = last(layer.inShape);
    const limit = initLimit(ctx.init, inFeatures, layer.units);
    const kernel = ctx.store.weight(`${ctx.prefix}.kernel`, uniformTensor([inFeatures, layer.units], limit, ctx.rng)) as tf.Variable<tf.Rank.R2>;
    const bias = ctx.store.weight(`${ctx.prefix}.bias`, tf.zeros([layer.units])) as tf.Variable<tf.Rank.R1>;
    return { apply: (x) => dense(x, kernel, bias) };
  },
  conv: (layer, ctx) => {
    const cin = last(layer.inShape);
    const area = layer.kernel * layer.kernel;
    const limit = initLimit(ctx.init, area * cin, area * layer.filters);
    const kernel = ctx.store.weight(`${ctx.prefix}.kernel`, uniformTensor([layer.kernel, layer.kernel, cin, layer.filters], limit, ctx.rng)) as tf.Variable<tf.Rank.R4>;
    const bias = ctx.store.weight(`${ctx.prefix}.bias`, tf.zeros([layer.filters]));
    return { apply: (x) => tf.add(conv2d(x as tf.Tensor4D, kernel, layer.stride, layer.padding), bias) };
  },
  deconv: (layer, ctx) => {
    const cin = last(layer.inShape);
    // Fan-in of a transposed convolution: each output sums over ceil(k / s)^2 input positions.
    const taps = Math.ceil(layer.kernel / layer.stride) ** 2;
    const limit = initLimit(ctx.init, taps * cin, taps * layer.filters);
    // tfjs's layout for conv2dTranspose: [k, k, out channels, in channels].
    const kernel = ctx.store.weight(`${ctx.prefix}.kernel`, uniformTensor([layer.kernel, layer.kernel, layer.filters, cin], limit, ctx.rng)) as tf.Variable<tf.Rank.R4>;
    const bias = ctx.store.weight(`${ctx.prefix}.bias`, tf.zeros([layer.filters]));
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
