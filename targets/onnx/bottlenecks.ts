/**
 * One ONNX lowering per IR bottleneck kind. Sampling is left out: a Gaussian
 * bottleneck exports its mean and log-variance and passes the mean on (as
 * tfjs evaluates it); a VQ bottleneck exports int64 code indices and the
 * quantized vectors. A kind the exporter cannot express yields null.
 */
import type { Bottleneck, BottleneckKind } from "../../src/ir/bottleneck.js";
import { type GraphBuilder, int, ints } from "./graph.js";
import { lowerDense } from "./layers.js";
import { weight, type Weights } from "./weights.js";

export interface NamedValue {
  /** The value in the graph. */
  readonly value: string;
  /** Its name as a graph output. */
  readonly name: string;
  readonly elemType: "float32" | "int64";
  /** Without the batch. */
  readonly shape: readonly number[];
  readonly doc: string;
}

export interface BottleneckLowering {
  /** What the encoder graph outputs. */
  readonly outputs: readonly NamedValue[];
  /** What the decoder reads. */
  readonly latent: string;
}

export type BottleneckHandler<B extends Bottleneck> = ((b: B, h: string, g: GraphBuilder, weights: Weights) => BottleneckLowering) | null;

const last = (s: readonly number[]) => s[s.length - 1]!;

export const BOTTLENECK_HANDLERS: { readonly [K in BottleneckKind]: BottleneckHandler<Extract<Bottleneck, { kind: K }>> } = {
  deterministic: (b, h, g, weights) => {
    const latent = lowerDense(g, weights, "bottleneck", h, last(b.inShape), b.units);
    return { outputs: [{ value: latent, name: "latent", elemType: "float32", shape: b.latentShape, doc: "the latent code" }], latent };
  },
  gaussian: (b, h, g, weights) => {
    const mean = lowerDense(g, weights, "bottleneck.mean", h, last(b.inShape), b.units);
    const logVar = lowerDense(g, weights, "bottleneck.logvar", h, last(b.inShape), b.units);
    return {
      outputs: [
        { value: mean, name: "mean", elemType: "float32", shape: b.latentShape, doc: "mean of the posterior q(z|x)" },
        { value: logVar, name: "logvar", elemType: "float32", shape: b.latentShape, doc: "log-variance of the posterior q(z|x)" },
      ],
      latent: mean,
    };
  },
  vq: (b, h, g, weights) => {
    const D = b.dim;
    const encoded = lowerDense(g, weights, "bottleneck.projection", h, last(b.inShape), D);
    const cb = weight(weights, "bottleneck.codebook", [b.codes, D]);
    const codebook = g.floatTensor("bottleneck.codebook", cb.shape, cb.values);
    const flat = g.node("Reshape", [encoded, g.int64Tensor("bottleneck.flat_shape", [-1, D])], "bottleneck.flat");
    // The tfjs target's distance, in its order: (|z|^2 - 2 z.e) + |e|^2, argmin, ties to the lowest index.
    const axis1 = g.int64Tensor("bottleneck.axis1", [1]);
    const zz = g.node("ReduceSum", [g.node("Mul", [flat, flat], "bottleneck.z_sq"), axis1], "bottleneck.zz", { keepdims: int(1) });
    const ee = g.node("ReduceSum", [g.node("Mul", [codebook, codebook], "bottleneck.e_sq"), axis1], "bottleneck.ee", { keepdims: int(0) });
    const cross = g.node("MatMul", [flat, g.node("Transpose", [codebook], "bottleneck.codebook_t", { perm: ints([1, 0]) })], "bottleneck.cross");
    const twice = g.node("Mul", [cross, g.scalar("bottleneck.two", 2)], "bottleneck.cross2");
    const distances = g.node("Add", [g.node("Sub", [zz, twice], "bottleneck.zz_cross"), ee], "bottleneck.distances");
    const nearest = g.node("ArgMin", [distances], "bottleneck.nearest", { axis: int(1), keepdims: int(0), select_last_index: int(0) });
    const codes = g.node("Gather", [codebook, nearest], "bottleneck.codes", { axis: int(0) });
    const quantized = g.node("Reshape", [codes, g.int64Tensor("bottleneck.latent_shape", [-1, ...b.latentShape])], "bottleneck.quantized");
    const indices = g.node("Reshape", [nearest, g.int64Tensor("bottleneck.index_shape", [-1, ...b.latentShape.slice(0, -1)])], "bottleneck.indices");
    return {
      outputs: [
        { value: indices, name: "indices", elemType: "int64", shape: b.latentShape.slice(0, -1), doc: "index of the nearest codebook vector" },
        { value: quantized, name: "quantized", elemType: "float32", shape: b.latentShape, doc: "the nearest codebook vectors" },
      ],
      latent: quantized,
    };
  },
  ladder: null,
};
