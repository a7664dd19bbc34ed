/**
 * A plain float64 reference of the ladder VAE, written from the semantics
 * document's formulas as they stand (the precision-weighted merge through
 * exponentiated precisions, not the overflow-free form both targets use),
 * for models whose encoder is empty and whose decoder is dense layers only.
 * Weights are the exporter's: kernels [in, out], row-major.
 */
import type { Ladder } from "../../../src/ir/bottleneck.js";
import type { IrModel } from "../../../src/ir/model.js";
import { Rng } from "../../../src/data/rng.js";
import type { Weights, WeightTensor } from "../../../targets/onnx/weights.js";

type Rows = number[][];

function get(weights: Weights, name: string): WeightTensor {
  const w = weights.get(name);
  if (w === undefined) throw new Error(`reference: no weight ${name}`);
  return w;
}

function dense(weights: Weights, name: string, x: Rows): Rows {
  const k = get(weights, `${name}.kernel`);
  const b = get(weights, `${name}.bias`);
  const [inF, out] = k.shape as [number, number];
  return x.map((row) => {
    if (row.length !== inF) throw new Error(`reference: ${name} reads ${inF} features, got ${row.length}`);
    return Array.from({ length: out }, (_, j) => row.reduce((s, v, i) => s + v * k.values[i * out + j]!, b.values[j]!));
  });
}

const elu = (x: Rows): Rows => x.map((r) => r.map((v) => (v > 0 ? v : Math.exp(v) - 1)));
const concat = (a: Rows, b: Rows): Rows => a.map((r, n) => [...r, ...b[n]!]);

export interface Level {
  readonly mean: Rows;
  readonly logVar: Rows;
}

function topDown(weights: Weights, b: Ladder, i: number, zAbove: Rows, tAbove: Rows | null): { t: Rows; prior: Level } {
  const p = `bottleneck.level${i}`;
  const top = b.levels.length - 1;
  const input = b.skip && i + 1 < top ? concat(zAbove, tAbove!) : zAbove;
  const t = elu(dense(weights, `${p}.down`, input));
  return { t, prior: { mean: dense(weights, `${p}.p_mean`, t), logVar: dense(weights, `${p}.p_logvar`, t) } };
}

/** Every level's posterior in evaluation mode, bottom first; h is the encoder's output. */
export function ladderPosterior(weights: Weights, b: Ladder, h: Rows): Level[] {
  let d = h;
  const q: Level[] = b.levels.map((_, i) => {
    d = elu(dense(weights, `bottleneck.level${i}.up`, d));
    return { mean: dense(weights, `bottleneck.level${i}.q_mean`, d), logVar: dense(weights, `bottleneck.level${i}.q_logvar`, d) };
  });
  const posterior = [...q];
  let t: Rows | null = null;
  for (let i = b.levels.length - 2; i >= 0; i--) {
    const step = topDown(weights, b, i, posterior[i + 1]!.mean, t);
    t = step.t;
    const qi = q[i]!;
    // prec_q = exp(-lv^), prec_p = exp(-lv_p); lv = -log(prec_q + prec_p); mu = (mu^ prec_q + mu_p prec_p) / (prec_q + prec_p).
    const mean = qi.mean.map((r, n) =>
      r.map((mq, u) => {
        const pq = Math.exp(-qi.logVar[n]![u]!);
        const pp = Math.exp(-step.prior.logVar[n]![u]!);
        return (mq * pq + step.prior.mean[n]![u]! * pp) / (pq + pp);
      }),
    );
    const logVar = qi.logVar.map((r, n) => r.map((lq, u) => -Math.log(Math.exp(-lq) + Math.exp(-step.prior.logVar[n]![u]!))));
    posterior[i] = { mean, logVar };
  }
  return posterior;
}

/** z_0 from a top-level code, every level below at its prior mean. */
export function ladderFromTop(weights: Weights, b: Ladder, zTop: Rows): Rows {
  let z = zTop;
  let t: Rows | null = null;
  for (let i = b.levels.length - 2; i >= 0; i--) {
    const step = topDown(weights, b, i, z, t);
    z = step.prior.mean;
    t = step.t;
  }
  return z;
}

/** The decoder stack of dense layers (the only kind the reference knows). */
export function denseDecoder(weights: Weights, ir: IrModel, z: Rows): Rows {
  return ir.decoder.reduce((x, l, i) => {
    if (l.kind !== "dense") throw new Error(`reference: decoder layer ${l.kind}`);
    return dense(weights, `decoder.${i}`, x);
  }, z);
}

/** Weights under the ladder's variable names, sized from the IR: kernels ~ U(-scale, scale), biases U(-0.5, 0.5). */
export function randomLadderWeights(ir: IrModel, seed: number, scale = 0.8): Map<string, WeightTensor> {
  if (ir.bottleneck.kind !== "ladder" || ir.encoder.length > 0) throw new Error("reference: a ladder without encoder layers");
  const rng = new Rng(seed, "ladder-reference");
  const out = new Map<string, WeightTensor>();
  const add = (name: string, inF: number, units: number) => {
    out.set(`${name}.kernel`, { shape: [inF, units], values: Float32Array.from({ length: inF * units }, () => scale * (2 * rng.next() - 1)) });
    out.set(`${name}.bias`, { shape: [units], values: Float32Array.from({ length: units }, () => rng.next() - 0.5) });
  };
  ir.bottleneck.levels.forEach((l, i) => {
    const p = `bottleneck.level${i}`;
    for (const [what, d] of [
      ["up", l.up],
      ["q_mean", l.qMean],
      ["q_logvar", l.qLogVar],
      ["down", l.down],
      ["p_mean", l.pMean],
      ["p_logvar", l.pLogVar],
    ] as const) {
      if (d !== null) add(`${p}.${what}`, d.inShape[0]!, d.units);
    }
  });
  ir.decoder.forEach((l, i) => {
    if (l.kind === "dense") add(`decoder.${i}`, l.inShape[0]!, l.units);
  });
  return out;
}

export const toRows = (flat: ArrayLike<number>, width: number): Rows =>
  Array.from({ length: flat.length / width }, (_, n) => Array.from({ length: width }, (_, j) => flat[n * width + j]!));

export const flat = (rows: Rows): number[] => rows.flat();
