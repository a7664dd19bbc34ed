/**
 * The IR verifier: the invariants every target relies on, checked on a
 * whole model. The checker produces IR that satisfies them (the property
 * tests run this after every check); a run's ir.json is verified on every
 * read (src/run/run-ir.ts), so a damaged or hand-made IR is refused before
 * anything trains on, evaluates or exports it.
 *
 * - every kind is known (layers, activations, bottleneck, losses, corruption);
 * - every shape is a list of positive integers;
 * - shapes chain: each op reads what the one before it gives (input ->
 *   encoder -> bottleneck; latent -> decoder -> the input's shape; latent ->
 *   discriminator -> [1]; a ladder's maps level by level);
 * - counts add up: each op's parameters and state are those of its tensors in
 *   the parameter table (src/ir/parameters.ts), and the totals are their sums.
 */
import type { BottleneckKind, Ladder } from "./bottleneck.js";
import { ACTIVATIONS, type Layer, type LayerKind, type Shape } from "./layers.js";
import type { CorruptionKind, LossKind } from "./losses.js";
import type { IrModel } from "./model.js";
import { bottleneckTensors, elementCount, layerTensors, type Parameter } from "./parameters.js";

/** Records, so that a kind added to the IR without being listed here is a type error. */
const LAYER_KINDS: { readonly [K in LayerKind]: true } = {
  dense: true,
  conv: true,
  deconv: true,
  flatten: true,
  reshape: true,
  dropout: true,
  batchnorm: true,
  layernorm: true,
  activation: true,
};
const BOTTLENECK_KINDS: { readonly [K in BottleneckKind]: true } = { deterministic: true, gaussian: true, vq: true, ladder: true };
const LOSS_KINDS: { readonly [K in LossKind]: true } = { reconstruction: true, kl: true, contractive: true, mmd: true, adversarial: true, commitment: true };
const CORRUPTION_KINDS: { readonly [K in CorruptionKind]: true } = { gaussian_noise: true, dropout_noise: true, saltpepper: true, mask: true };

const known = (table: object, kind: unknown) => typeof kind === "string" && Object.prototype.hasOwnProperty.call(table, kind);
const isShape = (s: unknown): s is Shape => Array.isArray(s) && s.length > 0 && s.every((d) => Number.isSafeInteger(d) && (d as number) > 0);
const fmt = (s: unknown) => (Array.isArray(s) ? `[${s.join(", ")}]` : String(s));
const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);
const count = (ps: readonly Parameter[], role: Parameter["role"]) => ps.filter((p) => p.role === role).reduce((n, p) => n + elementCount(p.shape), 0);

/** The problems of `ir`, each a sentence naming the op ("encoder.2 (dense): ..."); empty when it is sound. */
export function verifyIr(ir: IrModel): string[] {
  const out: string[] = [];
  if (ir.kind !== "Model") return ["it is not a model"];
  if (!isShape(ir.input?.shape)) return [`its input shape ${fmt(ir.input?.shape)} is not a list of positive integers`];
  if (ir.corruption !== null && !known(CORRUPTION_KINDS, ir.corruption.kind)) out.push(`its corruption '${String(ir.corruption.kind)}' is not a known kind`);

  const encoderOut = verifyStack(ir.encoder, "encoder", ir.input.shape, out);
  const b = ir.bottleneck;
  let latent: Shape | null = null;
  if (!known(BOTTLENECK_KINDS, b.kind)) out.push(`its bottleneck '${String(b.kind)}' is not a known kind`);
  else if (!isShape(b.inShape) || !isShape(b.latentShape))
    out.push(`bottleneck (${b.kind}): its shapes ${fmt(b.inShape)} -> ${fmt(b.latentShape)} are not lists of positive integers`);
  else {
    if (encoderOut !== null && !sameShape(b.inShape, encoderOut))
      out.push(`bottleneck (${b.kind}): it reads ${fmt(b.inShape)}, the encoder gives ${fmt(encoderOut)}`);
    if (b.kind === "ladder") verifyLadder(b, out);
    verifyCounts(`bottleneck (${b.kind})`, b.parameters, null, bottleneckTensors(b), out);
    latent = b.latentShape;
  }
  if (latent !== null) {
    const decoded = verifyStack(ir.decoder, "decoder", latent, out);
    if (decoded !== null && !sameShape(decoded, ir.input.shape)) out.push(`the decoder gives ${fmt(decoded)}, the input is ${fmt(ir.input.shape)}`);
  }

  let parameters = sumOf([...ir.encoder, ...ir.decoder], "parameters") + (known(BOTTLENECK_KINDS, b.kind) ? b.parameters : 0);
  let state = sumOf([...ir.encoder, ...ir.decoder], "state");
  let activationBytes = sumOf([...ir.encoder, ...ir.decoder], "activationBytes") + (known(BOTTLENECK_KINDS, b.kind) ? b.activationBytes : 0);
  for (const t of ir.losses) {
    if (!known(LOSS_KINDS, t.kind)) {
      out.push(`its loss term '${String(t.kind)}' is not a known kind`);
      continue;
    }
    if (t.kind !== "adversarial" || latent === null) continue;
    const logit = verifyStack(t.discriminator, "adversarial.discriminator", latent, out);
    if (logit !== null && !sameShape(logit, [1])) out.push(`the discriminator gives ${fmt(logit)}, not one logit [1]`);
    const own = sumOf(t.discriminator, "parameters");
    if (t.parameters !== own) out.push(`the adversarial term counts ${t.parameters} parameters, its discriminator's layers ${own}`);
    parameters += own;
    state += sumOf(t.discriminator, "state");
    activationBytes += sumOf(t.discriminator, "activationBytes");
  }
  if (ir.totals.parameters !== parameters) out.push(`its totals count ${ir.totals.parameters} parameters, its ops ${parameters}`);
  if (ir.totals.state !== state) out.push(`its totals count ${ir.totals.state} state values, its ops ${state}`);
  if (ir.totals.activationBytes !== activationBytes) out.push(`its totals count ${ir.totals.activationBytes} activation bytes, its ops ${activationBytes}`);
  const t = ir.train;
  for (const key of ["batch", "epochs"] as const)
    if (!Number.isSafeInteger(t[key]) || t[key] < 1) out.push(`its train.${key} ${String(t[key])} is not a positive integer`);
  if (!Number.isSafeInteger(t.seed)) out.push(`its train.seed ${String(t.seed)} is not an integer`);
  return out;
}

function sumOf(ops: readonly Layer[], key: "parameters" | "state" | "activationBytes"): number {
  return ops.reduce((n, o) => n + o[key], 0);
}

/** Checks a stack reading `input`; returns what it gives, or null when it is broken. */
function verifyStack(layers: readonly Layer[], stack: string, input: Shape, out: string[]): Shape | null {
  let shape: Shape | null = input;
  layers.forEach((l, i) => {
    const where = `${stack}.${i} (${String(l.kind)})`;
    if (!known(LAYER_KINDS, l.kind)) {
      out.push(`${stack}.${i}: '${String(l.kind)}' is not a known layer kind`);
      shape = null;
      return;
    }
    if (!isShape(l.inShape) || !isShape(l.outShape)) {
      out.push(`${where}: its shapes ${fmt(l.inShape)} -> ${fmt(l.outShape)} are not lists of positive integers`);
      shape = null;
      return;
    }
    if (shape !== null && !sameShape(l.inShape, shape)) out.push(`${where}: it reads ${fmt(l.inShape)}, the op before it gives ${fmt(shape)}`);
    if (l.kind === "activation" && !ACTIVATIONS.includes(l.fn)) out.push(`${where}: '${String(l.fn)}' is not a known activation`);
    verifyCounts(where, l.parameters, l.state, layerTensors(l, `${stack}.${i}`), out);
    shape = l.outShape;
  });
  return shape;
}

/** An op's counts against its tensors in the parameter table (state: null for a bottleneck, which counts none). */
function verifyCounts(where: string, parameters: number, state: number | null, tensors: readonly Parameter[], out: string[]): void {
  const weights = count(tensors, "weight");
  if (parameters !== weights) out.push(`${where}: it counts ${parameters} parameters, its tensors hold ${weights}`);
  const statistics = count(tensors, "statistic");
  if (state !== null && state !== statistics) out.push(`${where}: it counts ${state} state values, its tensors hold ${statistics}`);
}

/** A ladder's maps chain level by level: up_i reads up_{i-1}'s output (level 0: the encoder's features), the heads read up_i's. */
function verifyLadder(b: Ladder, out: string[]): void {
  let below: Shape = [b.inShape[b.inShape.length - 1]!];
  b.levels.forEach((l, i) => {
    const where = `bottleneck level ${i}`;
    if (!sameShape(l.up.inShape, below)) out.push(`${where}: up reads ${fmt(l.up.inShape)}, the level below gives ${fmt(below)}`);
    for (const [name, head] of [
      ["q_mean", l.qMean],
      ["q_logvar", l.qLogVar],
    ] as const) {
      if (!sameShape(head.inShape, l.up.outShape) || head.units !== l.units)
        out.push(`${where}: ${name} is ${fmt(head.inShape)} -> ${head.units}, not ${fmt(l.up.outShape)} -> ${l.units}`);
    }
    const top = i === b.levels.length - 1;
    if (top !== (l.down === null)) out.push(`${where}: ${top ? "the top level has" : "a level below the top lacks"} a top-down path`);
    below = l.up.outShape;
  });
  const bottom = b.levels[0];
  if (bottom === undefined) out.push("bottleneck (ladder): it has no levels");
  else if (!sameShape(b.latentShape, [...b.inShape.slice(0, -1), bottom.units]))
    out.push(`bottleneck (ladder): its latent ${fmt(b.latentShape)} is not the bottom level's ${bottom.units} units`);
}
