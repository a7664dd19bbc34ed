/**
 * One handler per IR loss term kind. `unsupported` is asked for every term
 * before training starts, so a term this target cannot train is refused with
 * its span before any data is loaded; `value` gives the term's contribution
 * to the total (a scalar, at its full weight), so each term can be logged on
 * its own; `schedule` (the KL warm-up) scales it further in the objective an
 * optimizer step minimises, and is logged apart, never folded into the term.
 */
import * as tf from "@tensorflow/tfjs-core";
import { diag, type Diagnostic } from "../../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../../src/ir/model.js";
import type { LossKind, LossTerm } from "../../../../src/ir/losses.js";
import type { Rng } from "../../../../src/data/rng.js";
import type { Forward, TfModel } from "../../model-api.js";
import { generatorLoss, requireAdversary } from "../adversary.js";
import { commitmentLoss } from "./commitment.js";
import { contractivePenalty, contractiveUnsupported } from "./contractive.js";
import { klPenalty, warmupFactor } from "./kl.js";
import { mmdLoss } from "./mmd.js";
import { reconstructionLoss } from "./reconstruction.js";

export interface LossContext {
  readonly forward: Forward;
  /** Fractional epochs trained so far (for schedules such as the KL warm-up); Infinity: schedules done. */
  readonly progress: number;
  /** Training (a step) or evaluation. */
  readonly training: boolean;
  /** The run's stream: prior samples and any other draw a term makes come from here. */
  readonly rng: Rng;
  /** The model the forward pass came from (a term may run a part of it again, e.g. the encoder for a Jacobian). */
  readonly model: TfModel;
}

type Term<K extends LossKind> = Extract<LossTerm, { kind: K }>;

export interface LossHandler<K extends LossKind> {
  readonly unsupported: (term: Term<K>, ir: IrModel) => Diagnostic | null;
  /** Call inside a tidy (or a gradient tape). */
  readonly value: (term: Term<K>, ctx: LossContext, ir: IrModel) => tf.Scalar;
  /** The factor in [0, 1] the objective applies to the value after `progress` fractional epochs; absent: 1. */
  readonly schedule?: (term: Term<K>, progress: number) => number;
}

const notYet = (term: LossTerm, what: string): Diagnostic =>
  diag("AE3102", `${what} is not supported by the TensorFlow.js target yet`, term.span, {
    hint: "remove the term to train with this target, or `aespec check` the spec only",
  });

/** The mask a masked-autoencoder corruption applied (the tfjs model's forward carries it beside the contract's fields). */
function hiddenOf(f: Forward): tf.Tensor | null {
  const hidden = (f as Forward & { hidden?: tf.Tensor | null }).hidden;
  return hidden ?? null;
}

const missing = (what: string): never => {
  throw new Error(`internal: the model's forward pass has no ${what} output`);
};

export const LOSS_HANDLERS: { readonly [K in LossKind]: LossHandler<K> } = {
  reconstruction: {
    unsupported: () => null,
    value: (t, { forward }) => reconstructionLoss(t.likelihood, forward.input, forward.reconstruction, t.on === "masked" ? hiddenOf(forward) : null),
  },
  kl: {
    unsupported: (t, ir) =>
      ir.bottleneck.kind === "gaussian" || ir.bottleneck.kind === "ladder" ? null : notYet(t, `kl with a ${ir.bottleneck.kind} bottleneck`),
    value: (t, { forward }) => tf.mul(klPenalty(forward, t.freeBits), t.beta) as tf.Scalar,
    schedule: (t, progress) => warmupFactor(t.warmup, progress),
  },
  commitment: {
    unsupported: (t, ir) => (ir.bottleneck.kind === "vq" ? null : notYet(t, `commitment with a ${ir.bottleneck.kind} bottleneck`)),
    value: (t, { forward }, ir) => {
      const vq = forward.vq ?? missing("vq");
      const learnCodebook = ir.bottleneck.kind === "vq" && ir.bottleneck.ema === null;
      return commitmentLoss(vq, t.beta, learnCodebook);
    },
  },
  contractive: {
    unsupported: contractiveUnsupported,
    value: (t, { forward, training, rng, model }) => contractivePenalty(t.weight, model, forward.input, { training, rng }),
  },
  mmd: {
    // The estimator needs two codes of a batch to compare with each other.
    unsupported: (t, ir) =>
      ir.train.batch >= 2
        ? null
        : diag("AE3102", `the mmd term needs at least 2 examples per batch (train.batch is ${ir.train.batch})`, t.span, { hint: "use a batch of 2 or more" }),
    value: (t, { forward, rng }) => mmdLoss(forward.latent, t.weight, t.kernel, rng),
  },
  adversarial: {
    // The discriminator's own update happens in trainStep, before this reads it (see ../adversary.ts).
    unsupported: () => null,
    value: (t, { forward, training, rng, model }) =>
      tf.mul(generatorLoss(requireAdversary(model).logits(forward.latent, { training, rng })), t.weight) as tf.Scalar,
  },
};

/** Every term this target cannot train, each located at its span. */
export function unsupportedTerms(ir: IrModel): Diagnostic[] {
  return ir.losses.flatMap((t) => {
    const d = (LOSS_HANDLERS[t.kind] as LossHandler<LossKind>).unsupported(t, ir);
    return d === null ? [] : [d];
  });
}

export interface TermValue {
  readonly kind: LossKind;
  /** The term at its full weight: what is logged under its name. */
  readonly value: tf.Scalar;
  /** Its schedule's factor at ctx.progress (1 without a schedule): the objective weights value by it. */
  readonly factor: number;
}

/** Each term's contribution, in the order of the spec; keys are the term kinds (unique per model). */
export function lossTerms(ir: IrModel, ctx: LossContext): TermValue[] {
  return ir.losses.map((t) => {
    const handler = LOSS_HANDLERS[t.kind] as LossHandler<LossKind>;
    return { kind: t.kind, value: handler.value(t, ctx, ir), factor: handler.schedule?.(t, ctx.progress) ?? 1 };
  });
}

/** The sum an optimizer step minimises: each term times its schedule's factor. */
export function objectiveOf(terms: readonly TermValue[]): tf.Scalar {
  return tf.addN(terms.map((t) => (t.factor === 1 ? t.value : tf.mul(t.value, t.factor)))) as tf.Scalar;
}

/** Whether a model's objective ever differs from the sum of its terms: a term whose schedule starts below 1 (schedules only ramp up). */
export function hasSchedule(ir: IrModel): boolean {
  return ir.losses.some((t) => ((LOSS_HANDLERS[t.kind] as LossHandler<LossKind>).schedule?.(t, 0) ?? 1) < 1);
}
