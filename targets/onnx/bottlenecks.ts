/**
 * One ONNX lowering per IR bottleneck kind. Sampling is left out: a Gaussian
 * bottleneck exports its mean and log-variance and passes the mean on (as
 * tfjs evaluates it); a VQ bottleneck exports int64 code indices and the
 * quantized vectors; a ladder exports every level's posterior mean and
 * log-variance (targets/onnx/ladder.ts) and passes the bottom mean on. A kind
 * the exporter cannot express would yield null (none today).
 */
import type { Bottleneck, BottleneckKind } from "../../src/ir/bottleneck.js";
import { BOTTLENECK_MAPS, VQ_TENSORS } from "../../src/ir/parameters.js";
import { type GraphBuilder, int, ints } from "./graph.js";
import { lowerLadder, lowerLadderFromTop } from "./ladder.js";
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
    const latent = lowerDense(g, weights, BOTTLENECK_MAPS.deterministic, h, last(b.inShape), b.units);
    return { outputs: [{ value: latent, name: "latent", elemType: "float32", shape: b.latentShape, doc: "the latent code" }], latent };
  },
  gaussian: (b, h, g, weights) => {
    const mean = lowerDense(g, weights, BOTTLENECK_MAPS.mean, h, last(b.inShape), b.units);
    const logVar = lowerDense(g, weights, BOTTLENECK_MAPS.logVar, h, last(b.inShape), b.units);
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
    const encoded = lowerDense(g, weights, BOTTLENECK_MAPS.vqProjection, h, last(b.inShape), D);
    const cb = weight(weights, VQ_TENSORS.codebook, [b.codes, D]);
    const codebook = g.floatTensor(VQ_TENSORS.codebook, cb.shape, cb.values);
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
  ladder: (b, h, g, weights) => {
    const levels = lowerLadder(b, h, g, weights);
    const latent = levels[0]!.mean;
    return {
      outputs: [
        ...levels.flatMap((l, i): NamedValue[] => [
          {
            value: l.mean,
            name: `level${i}_mean`,
            elemType: "float32",
            shape: [b.levels[i]!.units],
            doc: `mean of level ${i}'s posterior (the merged one below the top; top-down path on means)`,
          },
          { value: l.logVar, name: `level${i}_logvar`, elemType: "float32", shape: [b.levels[i]!.units], doc: `log-variance of level ${i}'s posterior` },
        ]),
        {
          value: latent,
          name: "latent",
          elemType: "float32",
          shape: b.latentShape,
          doc: "what the decoder reads: the bottom level's posterior mean (level0_mean)",
        },
      ],
      latent,
    };
  },
};

/** What the decoder part takes as input, and how it reaches the decoder stack. */
export interface DecoderEntry<B extends Bottleneck> {
  /** The `latent` input's shape, without the batch. */
  readonly shape: (b: B) => readonly number[];
  readonly doc: string;
  /** From the `latent` input to the decoder stack's input. */
  readonly lower: (b: B, latent: string, g: GraphBuilder, weights: Weights) => string;
  /** How many of the bottleneck's parameters `lower` puts in the graph. */
  readonly parameters: (b: B) => number;
}

const direct = {
  shape: (b: Bottleneck) => b.latentShape,
  doc: "the latent code the decoder reads",
  lower: (_b: Bottleneck, latent: string) => latent,
  parameters: () => 0,
};

export const DECODER_ENTRIES: { readonly [K in BottleneckKind]: DecoderEntry<Extract<Bottleneck, { kind: K }>> } = {
  deterministic: direct,
  gaussian: direct,
  vq: direct,
  // Generation: a code of the top level; the levels below take their prior means.
  ladder: {
    shape: (b) => [b.levels[b.levels.length - 1]!.units],
    doc: "a code of the ladder's top level; the levels below take their top-down prior means",
    lower: lowerLadderFromTop,
    parameters: (b) => b.levels.reduce((n, l) => n + [l.down, l.pMean, l.pLogVar].reduce((m, d) => m + (d?.parameters ?? 0), 0), 0),
  },
};
