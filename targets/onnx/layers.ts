/**
 * One ONNX lowering per IR layer kind. Values stay batch-first and
 * channels-last as in the IR; convolutions transpose to NCHW and back
 * around the ONNX op. Weights come under the IR's names, in its layouts
 * (src/ir/parameters.ts); conv kernels are transposed to ONNX's.
 */
import type { Layer, LayerKind } from "../../src/ir/layers.js";
import { layerPrefix, tensorName, type StackName } from "../../src/ir/parameters.js";
import { ACTIVATION_HANDLERS } from "./activations.js";
import { float, type GraphBuilder, int, ints } from "./graph.js";
import { transpose4, weight, type Weights } from "./weights.js";

export interface LayerContext {
  readonly g: GraphBuilder;
  readonly weights: Weights;
  /** Variable name prefix, e.g. "encoder.3". */
  readonly prefix: string;
}

export type LayerHandler<L extends Layer> = (layer: L, x: string, ctx: LayerContext) => string;

const last = (s: readonly number[]) => s[s.length - 1]!;
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** x [..., in] times kernel [in, units] plus bias: MatMul broadcasts over the leading axes. */
export function lowerDense(g: GraphBuilder, weights: Weights, name: string, x: string, inFeatures: number, units: number): string {
  const k = weight(weights, tensorName(name, "kernel"), [inFeatures, units]);
  const b = weight(weights, tensorName(name, "bias"), [units]);
  const product = g.node("MatMul", [x, g.floatTensor(tensorName(name, "kernel"), k.shape, k.values)], `${name}.matmul`);
  return g.node("Add", [product, g.floatTensor(tensorName(name, "bias"), b.shape, b.values)], `${name}.out`);
}

/**
 * TensorFlow's SAME padding of a convolution reading `size` pixels with
 * output `out`: total max((out - 1) s + k - size, 0), the smaller half first
 * (ONNX's SAME_UPPER), written out explicitly.
 */
function samePads(size: number, out: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

export const LAYER_HANDLERS: { readonly [K in LayerKind]: LayerHandler<Extract<Layer, { kind: K }>> } = {
  dense: (layer, x, { g, weights, prefix }) => lowerDense(g, weights, prefix, x, last(layer.inShape), layer.units),
  conv: (layer, x, { g, weights, prefix }) => {
    const [h, w, cin] = layer.inShape as [number, number, number];
    const [oh, ow] = layer.outShape as [number, number, number];
    const kernel = transpose4(weight(weights, tensorName(prefix, "kernel"), [layer.kernel, layer.kernel, cin, layer.filters]), [3, 2, 0, 1]);
    const bias = weight(weights, tensorName(prefix, "bias"), [layer.filters]);
    const [top, bottom] = layer.padding === "same" ? samePads(h, oh, layer.kernel, layer.stride) : [0, 0];
    const [left, right] = layer.padding === "same" ? samePads(w, ow, layer.kernel, layer.stride) : [0, 0];
    const nchw = g.node("Transpose", [x], `${prefix}.nchw`, { perm: ints(TO_NCHW) });
    const y = g.node(
      "Conv",
      [nchw, g.floatTensor(tensorName(prefix, "kernel"), kernel.shape, kernel.values), g.floatTensor(tensorName(prefix, "bias"), bias.shape, bias.values)],
      `${prefix}.conv`,
      {
        kernel_shape: ints([layer.kernel, layer.kernel]),
        strides: ints([layer.stride, layer.stride]),
        pads: ints([top, left, bottom, right]),
      },
    );
    return g.node("Transpose", [y], `${prefix}.out`, { perm: ints(TO_NHWC) });
  },
  deconv: (layer, x, { g, weights, prefix }) => {
    const [h, w, cin] = layer.inShape as [number, number, number];
    const [oh, ow] = layer.outShape as [number, number, number];
    const k = layer.kernel;
    const s = layer.stride;
    // tfjs [k, k, filters, cin] -> ONNX ConvTranspose [cin, filters, k, k].
    const kernel = transpose4(weight(weights, tensorName(prefix, "kernel"), [k, k, layer.filters, cin]), [3, 2, 0, 1]);
    const bias = weight(weights, tensorName(prefix, "bias"), [layer.filters]);
    // The transpose of the convolution from (oh, ow) to (h, w): the same pads,
    // and whatever that convolution left unread at the end as output padding.
    const [top, bottom] = layer.padding === "same" ? samePads(oh, h, k, s) : [0, 0];
    const [left, right] = layer.padding === "same" ? samePads(ow, w, k, s) : [0, 0];
    const extraH = oh - (s * (h - 1) + k - top - bottom);
    const extraW = ow - (s * (w - 1) + k - left - right);
    const nchw = g.node("Transpose", [x], `${prefix}.nchw`, { perm: ints(TO_NCHW) });
    const y = g.node(
      "ConvTranspose",
      [nchw, g.floatTensor(tensorName(prefix, "kernel"), kernel.shape, kernel.values), g.floatTensor(tensorName(prefix, "bias"), bias.shape, bias.values)],
      `${prefix}.deconv`,
      {
        kernel_shape: ints([k, k]),
        strides: ints([s, s]),
        pads: ints([top, left, bottom, right]),
        output_padding: ints([extraH, extraW]),
      },
    );
    return g.node("Transpose", [y], `${prefix}.out`, { perm: ints(TO_NHWC) });
  },
  // A 0 in Reshape's shape keeps that input dimension: the batch.
  flatten: (layer, x, { g, prefix }) => g.node("Reshape", [x, g.int64Tensor(`${prefix}.shape`, [0, product(layer.inShape)])], `${prefix}.out`),
  reshape: (layer, x, { g, prefix }) => g.node("Reshape", [x, g.int64Tensor(`${prefix}.shape`, [0, ...layer.target])], `${prefix}.out`),
  dropout: (_layer, x, { g, prefix }) => g.node("Identity", [x], `${prefix}.out`),
  batchnorm: (layer, x, { g, weights, prefix }) => {
    // Inference form on the last axis, as tfjs evaluates it: (x - mean) / sqrt(var + eps) * gamma + beta.
    const n = last(layer.inShape);
    const t = (what: string) => {
      const v = weight(weights, tensorName(prefix, what), [n]);
      return g.floatTensor(tensorName(prefix, what), v.shape, v.values);
    };
    const centred = g.node("Sub", [x, t("moving_mean")], `${prefix}.centred`);
    const std = g.node("Sqrt", [g.node("Add", [t("moving_variance"), g.scalar(`${prefix}.epsilon`, layer.epsilon)], `${prefix}.var_eps`)], `${prefix}.std`);
    const normed = g.node("Div", [centred, std], `${prefix}.normed`);
    return g.node("Add", [g.node("Mul", [normed, t("gamma")], `${prefix}.scaled`), t("beta")], `${prefix}.out`);
  },
  layernorm: (layer, x, { g, weights, prefix }) => {
    const n = last(layer.inShape);
    const gamma = weight(weights, `${prefix}.gamma`, [n]);
    const beta = weight(weights, `${prefix}.beta`, [n]);
    return g.node(
      "LayerNormalization",
      [x, g.floatTensor(`${prefix}.gamma`, [n], gamma.values), g.floatTensor(`${prefix}.beta`, [n], beta.values)],
      `${prefix}.out`,
      {
        axis: int(-1),
        epsilon: float(layer.epsilon),
      },
    );
  },
  activation: (layer, x, { g, prefix }) => ACTIVATION_HANDLERS[layer.fn](g, x, prefix, layer.alpha),
};

/** Lowers a stack; its weights are the IR's (layerPrefix: `encoder.3.kernel`, 3 the layer's place in the IR list). */
export function lowerStack(layers: readonly Layer[], x: string, stack: StackName, g: GraphBuilder, weights: Weights): string {
  return layers.reduce((h, layer, i) => (LAYER_HANDLERS[layer.kind] as LayerHandler<Layer>)(layer, h, { g, weights, prefix: layerPrefix(stack, i) }), x);
}
