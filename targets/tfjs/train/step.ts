/**
 * One optimizer step, and the evaluation of one batch. Each returns the loss
 * values as plain numbers (read once per batch: that is how a NaN is caught
 * at the batch that produced it, before its gradients reach the weights) and
 * disposes every tensor it made.
 *
 * With an adversarial term, the discriminator half of the step (adversary.ts)
 * runs inside the autoencoder's gradient tape, right after the forward pass:
 * it reads the batch's codes, updates the discriminator, and the generator
 * loss that follows reads the updated discriminator. So one forward pass
 * serves both halves, and every caller of trainStep (the trainer, the
 * overfit test, the bench) trains the discriminator too. A NaN loss is
 * caught after the discriminator's update (a NaN there makes the generator
 * loss NaN too) and before the autoencoder's; the run stops either way, and
 * its last checkpoint holds both as they were.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import type { LossKind } from "../../../src/ir/losses.js";
import type { Forward, TfModel } from "../model-api.js";
import type { AdversarialBatch } from "./adversarial-metrics.js";
import { adversaryOf, adversarialTerm, applyInOrder, discriminatorStep, type DiscriminatorStep } from "./adversary.js";
import type { LatentStats } from "./latent-stats.js";
import { lossTerms, objectiveOf } from "./losses/index.js";

export interface BatchLosses {
  /** The sum of the terms, each at its full weight. */
  readonly total: number;
  /** In the order of ir.losses, each at its full weight. */
  readonly terms: readonly number[];
  /** What the step minimised: the terms weighted by their schedules (the KL warm-up); the total when no schedule is below 1. */
  readonly objective: number;
}

export type BatchOutcome =
  | { readonly ok: true; readonly losses: BatchLosses; readonly adversarial?: AdversarialBatch }
  | { readonly ok: false; readonly losses: BatchLosses; readonly culprit: LossKind | "total" };

export interface StepArgs {
  readonly model: TfModel;
  readonly ir: IrModel;
  readonly optimizer: tf.Optimizer;
  readonly x: tf.Tensor;
  readonly rng: Rng;
  /** Fractional epochs trained before this step. */
  readonly progress: number;
  /** Fed with this step's forward pass when the latent statistics come from training. */
  readonly stats: LatentStats | null;
}

export async function trainStep(a: StepArgs): Promise<BatchOutcome> {
  const { model, ir } = a;
  let forward: Forward | null = null;
  let termValues: tf.Scalar[] = [];
  let total: tf.Scalar | null = null;
  const adversary = adversaryOf(model);
  let duel: DiscriminatorStep | null = null;
  const { value, grads } = tf.variableGrads(
    () => {
      const f = model.forward(a.x, { training: true, rng: a.rng });
      // The discriminator half, before the terms: the generator loss must read the updated discriminator.
      if (adversary !== null) duel = discriminatorStep(adversary, f.latent, a.rng);
      const terms = lossTerms(ir, { forward: f, progress: a.progress, training: true, rng: a.rng, model });
      // Kept past the tape: afterStep and the statistics read them after the update.
      forward = keepForward(f);
      termValues = terms.map((t) => tf.keep(t.value));
      total = tf.keep(tf.addN(terms.map((t) => t.value)) as tf.Scalar);
      return objectiveOf(terms);
    },
    model.trainable.map((v) => v.variable),
  );
  const f = forward as Forward | null;
  if (f === null) throw new Error("internal: the forward pass did not run");
  const d = duel as DiscriminatorStep | null;
  const sum = total as tf.Scalar | null;
  if (sum === null) throw new Error("internal: the loss terms were not summed");
  const made = [value, sum, ...termValues, ...forwardTensors(f, model, a.x), ...(d === null ? [] : [d.loss, d.accuracy, d.moments])];
  try {
    const outcome = await readLosses(ir, sum, termValues, value);
    if (!outcome.ok) return outcome;
    const adversarial = d === null ? null : await readDuel(ir, d, outcome.losses, a.x.shape[0]!);
    applyInOrder(a.optimizer, model.trainable, grads);
    tf.tidy(() => model.afterStep(f, a.rng));
    if (a.stats !== null) await a.stats.add(f);
    return adversarial === null ? outcome : { ...outcome, adversarial };
  } finally {
    tf.dispose(Object.values(grads));
    tf.dispose(made);
  }
}

export interface EvalArgs {
  readonly model: TfModel;
  readonly ir: IrModel;
  readonly x: tf.Tensor;
  readonly rng: Rng;
  readonly stats: LatentStats | null;
}

/**
 * The training objective on one batch, with every schedule complete (validation, early stopping):
 * the latent sampled and the input corrupted as in training, drawn from `rng`; dropout off and
 * batchnorm on its moving statistics, as at evaluation. Its expectation is the training loss of the
 * same weights without dropout. (`aespec eval` measures the model as used instead: the posterior
 * mean decoded from the clean input.)
 */
export async function evalBatch(a: EvalArgs): Promise<BatchOutcome> {
  const { model, ir } = a;
  const kept = tf.tidy(() => {
    const f = model.forward(a.x, { training: false, rng: a.rng, sampleLatent: true, corrupt: true });
    const terms = lossTerms(ir, { forward: f, progress: Infinity, training: false, rng: a.rng, model });
    const values = terms.map((t) => t.value);
    return { f, values, total: tf.addN(values) } as unknown as tf.TensorContainer;
  }) as unknown as { f: Forward; values: tf.Scalar[]; total: tf.Scalar };
  try {
    const outcome = await readLosses(ir, kept.total, kept.values);
    if (outcome.ok && a.stats !== null) await a.stats.add(kept.f);
    return outcome;
  } finally {
    tf.dispose([kept.total, ...kept.values, ...forwardTensors(kept.f, model, a.x)]);
  }
}

/** The discriminator half's numbers, and the unweighted generator loss from the adversarial term's value. */
async function readDuel(ir: IrModel, d: DiscriminatorStep, losses: BatchLosses, examples: number): Promise<AdversarialBatch> {
  const packed = tf.tidy(() => tf.stack([d.loss, d.accuracy]));
  const [scalars, moments] = await Promise.all([packed.data(), d.moments.data()]).finally(() => packed.dispose());
  const term = adversarialTerm(ir)!;
  const weighted = losses.terms[ir.losses.indexOf(term)]!;
  const units = moments.length / 2;
  return {
    discriminatorLoss: scalars[0]!,
    accuracy: scalars[1]!,
    generatorLoss: term.weight > 0 ? weighted / term.weight : null,
    examples,
    codeSum: Array.from(moments.subarray(0, units)),
    codeSumSq: Array.from(moments.subarray(units)),
  };
}

/** Reads the batch's numbers at once; `objective` defaults to the total (evaluation: every schedule complete). */
async function readLosses(ir: IrModel, total: tf.Scalar, terms: readonly tf.Scalar[], objective: tf.Scalar = total): Promise<BatchOutcome> {
  const packed = tf.tidy(() => tf.stack([total, objective, ...terms]));
  const data = await packed.data();
  packed.dispose();
  const losses: BatchLosses = { total: data[0]!, objective: data[1]!, terms: Array.from(data.subarray(2)) };
  const bad = losses.terms.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return { ok: false, losses, culprit: ir.losses[bad]!.kind };
  if (!Number.isFinite(losses.total) || !Number.isFinite(losses.objective)) return { ok: false, losses, culprit: "total" };
  return { ok: true, losses };
}

function keepForward(f: Forward): Forward {
  for (const t of allTensors(f)) tf.keep(t);
  return f;
}

/** Every tensor a forward pass holds, however deep (new Forward fields need no change here). */
function allTensors(f: Forward): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof tf.Tensor) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(f);
  return out;
}

/** The tensors of a forward pass that the pass made: not the batch itself, nor a model variable. */
function forwardTensors(f: Forward, model: TfModel, x: tf.Tensor): tf.Tensor[] {
  const own = new Set<number>([x.id, ...model.trainable.map((v) => v.variable.id), ...model.state.map((v) => v.variable.id)]);
  const seen = new Set<number>();
  return allTensors(f).filter((t) => {
    if (own.has(t.id) || seen.has(t.id)) return false;
    seen.add(t.id);
    return true;
  });
}
