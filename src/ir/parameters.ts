/**
 * Every tensor a model has, owned by the IR: its name, shape, layout and
 * role, in checkpoint order. Targets build their variables from this table
 * and map its layouts to theirs (tfjs keeps them; ONNX transposes conv
 * kernels to OIHW; PyTorch's Linear weight is [out, in]), so no target
 * re-spells a name, and a checkpoint written by one target is read by all.
 *
 * Checkpoint order: the model's trainable tensors, then its state, then
 * the adversarial term's discriminator (trainable, then state). Within each,
 * the order in which the tfjs target draws them from the run's random stream:
 * encoder layers, bottleneck, decoder layers; a ladder's bottom-up maps level
 * by level from the bottom, then its top-down maps from the level below the
 * top down to level 0.
 */
import type { Bottleneck, BottleneckKind, Ladder } from "./bottleneck.js";
import type { Dense, Layer, LayerKind } from "./layers.js";
import type { IrModel } from "./model.js";

/**
 * How a tensor's elements are laid out (row-major):
 * - `in_out`: a dense kernel [in, out] (x W);
 * - `hwio`: a conv kernel [k, k, in channels, filters];
 * - `hwoi`: a deconv kernel [k, k, filters, in channels];
 * - `vector`: one value per feature (bias, scale, offset, moving statistics, code counts);
 * - `codes_dim`: a codebook or its EMA sums [codes, dim], one row per code.
 */
export type ParameterLayout = "in_out" | "hwio" | "hwoi" | "vector" | "codes_dim";

/**
 * `weight`: part of the model's function, counted in its parameters (an EMA codebook is one,
 * though no gradient trains it); `statistic`: what training keeps to update weights or
 * normalise (batchnorm's moving statistics, a VQ's EMA sums and code counts).
 */
export type ParameterRole = "weight" | "statistic";

export interface Parameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout: ParameterLayout;
  readonly role: ParameterRole;
  /** Updated by the optimizer (else assigned by the model, or fixed). */
  readonly trainable: boolean;
  /** The op it belongs to: `encoder.3`, `bottleneck`, `adversarial.discriminator.0`. */
  readonly owner: string;
}

export type StackName = "encoder" | "decoder" | "discriminator";

const STACK_PREFIX: { readonly [S in StackName]: string } = {
  encoder: "encoder",
  decoder: "decoder",
  discriminator: "adversarial.discriminator",
};

/** The name prefix of the layer at `index` of a stack: `encoder.3`. */
export function layerPrefix(stack: StackName, index: number): string {
  return `${STACK_PREFIX[stack]}.${index}`;
}

/** A tensor of an op: `encoder.3.kernel`. */
export function tensorName(prefix: string, part: string): string {
  return `${prefix}.${part}`;
}

/** The dense maps a bottleneck owns, by their prefixes (each has `.kernel` and `.bias`). */
export const BOTTLENECK_MAPS = {
  deterministic: "bottleneck",
  mean: "bottleneck.mean",
  logVar: "bottleneck.logvar",
  vqProjection: "bottleneck.projection",
} as const;

/** A VQ's codebook and its statistics. */
export const VQ_TENSORS = {
  codebook: "bottleneck.codebook",
  emaCount: "bottleneck.ema_count",
  emaSum: "bottleneck.ema_sum",
  usage: "bottleneck.usage",
} as const;

export type LadderMap = "up" | "q_mean" | "q_logvar" | "down" | "p_mean" | "p_logvar";

/** A ladder level's dense map: `bottleneck.level1.q_mean`. */
export function ladderMapPrefix(level: number, map: LadderMap): string {
  return `bottleneck.level${level}.${map}`;
}

const last = (shape: readonly number[]) => shape[shape.length - 1]!;

function denseTensors(owner: string, inFeatures: number, units: number): Parameter[] {
  return [
    { name: tensorName(owner, "kernel"), shape: [inFeatures, units], layout: "in_out", role: "weight", trainable: true, owner },
    { name: tensorName(owner, "bias"), shape: [units], layout: "vector", role: "weight", trainable: true, owner },
  ];
}

const vector = (owner: string, part: string, n: number, role: ParameterRole, trainable: boolean): Parameter => ({
  name: tensorName(owner, part),
  shape: [n],
  layout: "vector",
  role,
  trainable,
  owner,
});

const affine = (owner: string, n: number) => [vector(owner, "gamma", n, "weight", true), vector(owner, "beta", n, "weight", true)];

/** One entry per layer kind: the tensors of a layer named `owner`. */
const LAYER_TENSORS: { readonly [K in LayerKind]: (layer: Extract<Layer, { kind: K }>, owner: string) => Parameter[] } = {
  dense: (l, owner) => denseTensors(owner, last(l.inShape), l.units),
  conv: (l, owner) => [
    { name: tensorName(owner, "kernel"), shape: [l.kernel, l.kernel, last(l.inShape), l.filters], layout: "hwio", role: "weight", trainable: true, owner },
    vector(owner, "bias", l.filters, "weight", true),
  ],
  deconv: (l, owner) => [
    { name: tensorName(owner, "kernel"), shape: [l.kernel, l.kernel, l.filters, last(l.inShape)], layout: "hwoi", role: "weight", trainable: true, owner },
    vector(owner, "bias", l.filters, "weight", true),
  ],
  batchnorm: (l, owner) => [
    ...affine(owner, last(l.inShape)),
    vector(owner, "moving_mean", last(l.inShape), "statistic", false),
    vector(owner, "moving_variance", last(l.inShape), "statistic", false),
  ],
  layernorm: (l, owner) => affine(owner, last(l.inShape)),
  flatten: () => [],
  reshape: () => [],
  dropout: () => [],
  activation: () => [],
};

/** The tensors of one layer. */
export function layerTensors(layer: Layer, owner: string): Parameter[] {
  return (LAYER_TENSORS[layer.kind] as (l: Layer, owner: string) => Parameter[])(layer, owner);
}

function stackTensors(layers: readonly Layer[], stack: StackName): Parameter[] {
  return layers.flatMap((l, i) => layerTensors(l, layerPrefix(stack, i)));
}

/** A dense map a bottleneck owns: its tensors are the bottleneck's. */
const mapTensors = (prefix: string, inFeatures: number, units: number) => denseTensors(prefix, inFeatures, units).map((p) => ({ ...p, owner: "bottleneck" }));
const ladderMap = (prefix: string, d: Dense) => mapTensors(prefix, last(d.inShape), d.units);

function ladderTensors(b: Ladder): Parameter[] {
  const bottomUp = b.levels.flatMap((l, i) => [
    ...ladderMap(ladderMapPrefix(i, "up"), l.up),
    ...ladderMap(ladderMapPrefix(i, "q_mean"), l.qMean),
    ...ladderMap(ladderMapPrefix(i, "q_logvar"), l.qLogVar),
  ]);
  const topDown: Parameter[] = [];
  for (let i = b.levels.length - 2; i >= 0; i--) {
    const l = b.levels[i]!;
    for (const [map, d] of [
      ["down", l.down],
      ["p_mean", l.pMean],
      ["p_logvar", l.pLogVar],
    ] as const) {
      if (d !== null) topDown.push(...ladderMap(ladderMapPrefix(i, map), d));
    }
  }
  return [...bottomUp, ...topDown];
}

/** One entry per bottleneck kind. */
const BOTTLENECK_TENSORS: { readonly [K in BottleneckKind]: (b: Extract<Bottleneck, { kind: K }>) => Parameter[] } = {
  deterministic: (b) => mapTensors(BOTTLENECK_MAPS.deterministic, last(b.inShape), b.units),
  gaussian: (b) => [...mapTensors(BOTTLENECK_MAPS.mean, last(b.inShape), b.units), ...mapTensors(BOTTLENECK_MAPS.logVar, last(b.inShape), b.units)],
  vq: (b) => {
    const ema = b.ema !== null;
    const codes = (name: string, role: ParameterRole, trainable: boolean): Parameter => ({
      name,
      shape: [b.codes, b.dim],
      layout: "codes_dim",
      role,
      trainable,
      owner: "bottleneck",
    });
    const counts = (name: string): Parameter => ({ name, shape: [b.codes], layout: "vector", role: "statistic", trainable: false, owner: "bottleneck" });
    return [
      ...mapTensors(BOTTLENECK_MAPS.vqProjection, last(b.inShape), b.dim),
      codes(VQ_TENSORS.codebook, "weight", !ema),
      ...(ema ? [counts(VQ_TENSORS.emaCount), codes(VQ_TENSORS.emaSum, "statistic", false)] : b.restart ? [counts(VQ_TENSORS.usage)] : []),
    ];
  },
  ladder: ladderTensors,
};

export function bottleneckTensors(b: Bottleneck): Parameter[] {
  return (BOTTLENECK_TENSORS[b.kind] as (b: Bottleneck) => Parameter[])(b);
}

export interface ParameterTable {
  /** Encoder, bottleneck and decoder, in build order (trainable and not mixed). */
  readonly model: readonly Parameter[];
  /** The adversarial term's discriminator, in build order; empty without one. */
  readonly adversary: readonly Parameter[];
}

/** The model's tensors, in build order. */
export function parameterTable(ir: Pick<IrModel, "encoder" | "bottleneck" | "decoder" | "losses">): ParameterTable {
  const adversarial = ir.losses.find((l) => l.kind === "adversarial");
  return {
    model: [...stackTensors(ir.encoder, "encoder"), ...bottleneckTensors(ir.bottleneck), ...stackTensors(ir.decoder, "decoder")],
    adversary: adversarial?.kind === "adversarial" ? stackTensors(adversarial.discriminator, "discriminator") : [],
  };
}

/** Every tensor a checkpoint holds, in its order: the model's trainable, its other tensors, then the discriminator's the same way. */
export function checkpointTensors(ir: Pick<IrModel, "encoder" | "bottleneck" | "decoder" | "losses">): Parameter[] {
  const t = parameterTable(ir);
  const split = (ps: readonly Parameter[]) => [...ps.filter((p) => p.trainable), ...ps.filter((p) => !p.trainable)];
  return [...split(t.model), ...split(t.adversary)];
}

export const elementCount = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
