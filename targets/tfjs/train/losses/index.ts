/**
 * One handler per IR loss term kind. `unsupported` is asked for every term
 * before training starts, so a term this target cannot train is refused with
 * its span before any data is loaded; `value` gives the term's contribution
 * to the total (a scalar), so each term can be logged on its own.
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
import { klPenalty, klWeight } from "./kl.js";
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
    unsupported: (t, ir) => (ir.bottleneck.kind === "gaussian" || ir.bottleneck.kind === "ladder" ? null : notYet(t, `kl with a ${ir.bottleneck.kind} bottleneck`)),
    value: (t, { forward, progress }) => {
      const weight = klWeight(t.beta, t.warmup, progress);
      // The KL still runs at weight 0 (first step of a warm-up) so its value can be logged.
      const penalty = klPenalty(forward, t.freeBits);
      return tf.mul(penalty, weight) as tf.Scalar;
    },
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
      ir.train.batch >= 2 ? null : diag("AE3102", `the mmd term needs at least 2 examples per batch (train.batch is ${ir.train.batch})`, t.span, { hint: "use a batch of 2 or more" }),
    value: (t, { forward, rng }) => mmdLoss(forward.latent, t.weight, t.kernel, rng),
  },
  adversarial: {
    // The discriminator's own update happens in trainStep, before this reads it (see ../adversary.ts).
    unsupported: () => null,
    value: (t, { forward, training, rng, model }) => tf.mul(generatorLoss(requireAdversary(model).logits(forward.latent, { training, rng })), t.weight) as tf.Scalar,
  },
};

/** Every term this target cannot train, each located at its span. */
export function unsupportedTerms(ir: IrModel): Diagnostic[] {
  return ir.losses.flatMap((t) => {
    const d = (LOSS_HANDLERS[t.kind] as LossHandler<LossKind>).unsupported(t, ir);
    return d === null ? [] : [d];
  });
}

/** Each term's contribution, in the order of the spec; keys are the term kinds (unique per model). */
export function lossTerms(ir: IrModel, ctx: LossContext): { kind: LossKind; value: tf.Scalar }[] {
  return ir.losses.map((t) => ({ kind: t.kind, value: (LOSS_HANDLERS[t.kind] as LossHandler<LossKind>).value(t, ctx, ir) }));
}
