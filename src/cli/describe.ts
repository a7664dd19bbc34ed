import type { Bottleneck, BottleneckKind } from "../ir/bottleneck.js";
import type { Layer, LayerKind, Shape } from "../ir/layers.js";
import type { Corruption, CorruptionKind, LossKind, LossTerm } from "../ir/losses.js";
import type { DataKind, DataSource, LrSchedule, LrScheduleKind, Optimizer } from "../ir/train.js";
import { OPTIMIZER_SIGNATURES } from "../check/vocabulary/train.js";

/** How each IR node reads in a table: the way a user would have written it. */
type Describers<K extends string, T extends { kind: K }> = { readonly [P in K]: (x: Extract<T, { kind: P }>) => string };

const conv = (name: string, l: { filters: number; kernel: number; stride: number; padding: string }) =>
  `${name}(${l.filters}, kernel: ${l.kernel}, stride: ${l.stride}${l.padding === "same" ? "" : ", padding: valid"})`;

const LAYERS: Describers<LayerKind, Layer> = {
  dense: (l) => `dense(${l.units})`,
  conv: (l) => conv("conv", l),
  deconv: (l) => conv("deconv", l),
  flatten: () => "flatten",
  reshape: (l) => `reshape(${shape(l.target)})`,
  dropout: (l) => `dropout(${l.rate})`,
  batchnorm: () => "batchnorm",
  layernorm: () => "layernorm",
  activation: (l) => (l.fn === "leaky_relu" ? `leaky_relu(${l.alpha})` : l.fn),
};

const BOTTLENECKS: Describers<BottleneckKind, Bottleneck> = {
  deterministic: (b) => `deterministic(${b.units})`,
  gaussian: (b) => `gaussian(${b.units})`,
  vq: (b) => `vq(codes: ${b.codes}, dim: ${b.dim}${b.ema !== null ? `, ema: ${b.ema}` : ""}${b.restart ? ", restart: true" : ""})`,
  ladder: (b) => `ladder(${b.skip ? "skip: true" : ""}) { ${b.levels.map((l) => `gaussian(${l.units})`).join(" ")} }`,
};

const CORRUPTIONS: Describers<CorruptionKind, Corruption> = {
  gaussian_noise: (c) => `gaussian(sigma: ${c.sigma})`,
  dropout_noise: (c) => `dropout(${c.rate})`,
  saltpepper: (c) => `saltpepper(${c.rate})`,
  mask: (c) => `mask(patch: ${c.patch}, ratio: ${c.ratio}) (${c.hidden} of ${c.patches} patches hidden)`,
};

const LOSSES: Describers<LossKind, LossTerm> = {
  reconstruction: (t) => `reconstruction(${t.likelihood}${t.on === "masked" ? ", on: masked" : ""})`,
  kl: (t) => `kl(beta: ${t.beta}, warmup: ${t.warmup}, free_bits: ${t.freeBits})`,
  contractive: (t) => `contractive(weight: ${t.weight})`,
  mmd: (t) => `mmd(weight: ${t.weight}, kernel: ${t.kernel})`,
  adversarial: (t) => `adversarial(weight: ${t.weight}, lr: ${t.lr}) { ${t.discriminator.map(describeLayer).join(" ")} }`,
  commitment: (t) => `commitment(beta: ${t.beta})`,
};

const DATA: Describers<DataKind, DataSource> = {
  mnist: () => "mnist",
  fashion_mnist: () => "fashion_mnist",
  sprites: (d) => `sprites(size: ${d.size}, count: ${d.count})`,
  sphere: (d) => `sphere(dim: ${d.dim}, noise: ${d.noise}, count: ${d.count})`,
  lowrank: (d) => `lowrank(dim: ${d.dim}, rank: ${d.rank}, count: ${d.count})`,
  file: (d) => JSON.stringify(d.path),
};

const SCHEDULES: Describers<LrScheduleKind, LrSchedule> = {
  constant: (s) => (s.warmup > 0 ? `warmup(epochs: ${s.warmup})` : "constant"),
  step: (s) => `step(every: ${s.every}, factor: ${s.factor}${warmup(s)})`,
  cosine: (s) => `cosine(min: ${s.min}${warmup(s)})`,
};

const warmup = (s: LrSchedule) => (s.warmup > 0 ? `, warmup: ${s.warmup}` : "");

function pick<K extends string, T extends { kind: K }>(table: Describers<K, T>, x: T): string {
  return (table[x.kind] as (y: T) => string)(x);
}

export const describeLayer = (l: Layer): string => pick(LAYERS, l);
export const describeBottleneck = (b: Bottleneck): string => pick(BOTTLENECKS, b);
export const describeCorruption = (c: Corruption): string => pick(CORRUPTIONS, c);
export const describeLoss = (t: LossTerm): string => pick(LOSSES, t);
export const describeData = (d: DataSource): string => pick(DATA, d);
export const describeSchedule = (s: LrSchedule): string => pick(SCHEDULES, s);

/** The optimizer with its lr and every argument that is not the language's default (Adam's epsilon 1e-8, say, shows when it is 1e-7). */
export function describeOptimizer(o: Optimizer): string {
  const values = o as unknown as Readonly<Record<string, number>>;
  const args = OPTIMIZER_SIGNATURES[o.kind].params.flatMap((p) => {
    const v = values[p.name];
    const d = p.default.kind === "value" && p.default.value.t === "number" ? p.default.value.v : null;
    return p.name === "lr" || v !== d ? [`${p.name}: ${v}`] : [];
  });
  return `${o.kind}(${args.join(", ")})`;
}

export function shape(s: Shape): string {
  return `[${s.join(", ")}]`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}
