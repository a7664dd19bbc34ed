/**
 * The adversary of an adversarial autoencoder (Makhzani et al. 2016, "AAE"):
 * the discriminator of an `adversarial(weight, lr) { layers }` term, built
 * from its block with the model's own layer builders (so every layer kind
 * works, dropout and batchnorm included), and its own Adam optimizer at the
 * term's lr (beta1 0.9, beta2 0.999, epsilon 1e-7: the spec's adam defaults).
 *
 * Its variables, "adversarial.discriminator.{i}.*", are kept out of
 * model.trainable, so the model's optimizer never touches them; checkpoints
 * save them after the model's variables, and this optimizer's slots beside
 * the main ones (checkpoint.ts).
 *
 * One training step (step.ts) makes one forward pass of the autoencoder and:
 *  1. the discriminator half: prior samples z ~ N(0, I) (label 1, drawn on
 *     the CPU from the run's Rng) against the batch's codes (label 0, under a
 *     stop-gradient); binary cross-entropy on the logits, averaged over the
 *     2n samples; one Adam step on the discriminator's variables only;
 *  2. the autoencoder half: reconstruction + weight * the generator loss,
 *     the non-saturating -log D(z) = softplus(-logit) of the codes, read from
 *     the discriminator as just updated (losses/index.ts).
 * Updates alternate: discriminator, autoencoder, discriminator, ...
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { LossTerm } from "../../../src/ir/losses.js";
import type { IrModel } from "../../../src/ir/model.js";
import { parameterTable } from "../../../src/ir/parameters.js";
import type { Adversary, NamedVariable, TfModel } from "../model-api.js";
import { normalTensor } from "../model/random.js";
import { buildStack, disposeStack, runStack, stackAfterStep } from "../model/stack.js";
import { VariableStore } from "../model/variables.js";
import { stopGradient } from "../ops/stop-gradient.js";
import { ADAM_DEFAULTS } from "../../../src/ir/train.js";
import { disposeOptimizer, makeOptimizer } from "./optimizers.js";

export type AdversarialTerm = Extract<LossTerm, { kind: "adversarial" }>;

export function adversarialTerm(ir: IrModel): AdversarialTerm | null {
  const t = ir.losses.find((l) => l.kind === "adversarial");
  return t !== undefined && t.kind === "adversarial" ? t : null;
}

/** The adversary of `ir`'s adversarial term, with initial weights drawn from `rng`; null without the term. */
export function createAdversary(ir: IrModel, rng: Rng): Adversary | null {
  const term = adversarialTerm(ir);
  if (term === null) return null;
  const store = new VariableStore(parameterTable(ir).adversary);
  const stack = buildStack(term.discriminator, "discriminator", store, rng, ir.train.init);
  const optimizer = makeOptimizer({ kind: "adam", ...ADAM_DEFAULTS, lr: term.lr, span: term.span });
  return {
    trainable: store.trainable,
    state: store.state,
    optimizer,
    logits: (codes, opts) => tf.reshape(runStack(stack, codes, opts), [codes.shape[0]!]),
    afterStep: (r) => stackAfterStep(stack, r),
    dispose() {
      disposeStack(stack);
      store.dispose();
      disposeOptimizer(optimizer);
    },
  };
}

/** The model's adversary, null without an adversarial term; throws when the IR has the term and the model no adversary (a builder that ignores the term). */
export function adversaryOf(model: TfModel): Adversary | null {
  return adversarialTerm(model.ir) === null ? null : requireAdversary(model);
}

export function requireAdversary(model: TfModel): Adversary {
  const a = model.adversary ?? null;
  if (a === null) throw new Error(`internal: model '${model.ir.name}' has an adversarial term but its builder made no discriminator`);
  return a;
}

/**
 * The discriminator's loss: binary cross-entropy of the logits, prior
 * samples labelled 1 and codes 0, averaged over all the samples:
 * (sum softplus(-l_prior) + sum softplus(l_codes)) / (n_prior + n_codes).
 */
export function discriminatorLoss(priorLogits: tf.Tensor, codeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const count = priorLogits.size + codeLogits.size;
    return tf.div(tf.add(tf.sum(tf.softplus(tf.neg(priorLogits))), tf.sum(tf.softplus(codeLogits))), count) as tf.Scalar;
  });
}

/** The encoder's loss for fooling the discriminator, non-saturating: mean of -log sigmoid(l) = softplus(-l) over the codes. */
export function generatorLoss(codeLogits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(codeLogits))) as tf.Scalar;
}

/** Fraction of the samples on the right side of 0: prior logits > 0, code logits < 0 (a logit of exactly 0 is wrong for both). */
export function discriminatorAccuracy(priorLogits: tf.Tensor, codeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const right = tf.add(tf.sum(tf.cast(tf.greater(priorLogits, 0), "float32")), tf.sum(tf.cast(tf.less(codeLogits, 0), "float32")));
    return tf.div(right, priorLogits.size + codeLogits.size) as tf.Scalar;
  });
}

/** What one discriminator update measured, before it changed the weights. Tensors the caller disposes. */
export interface DiscriminatorStep {
  readonly loss: tf.Scalar;
  readonly accuracy: tf.Scalar;
  /** [2, units]: the codes' sum and sum of squares over the batch, per latent unit (for their spread). */
  readonly moments: tf.Tensor2D;
}

/**
 * The discriminator half of a step: one Adam update of the discriminator on
 * prior samples (drawn from `rng`, shaped like the codes) against `codes`.
 * Only the discriminator's variables change. May run inside the gradient
 * tape of the autoencoder's loss (step.ts does, so that one forward pass
 * serves both halves): the codes pass a stop-gradient, and the update reaches
 * the autoencoder's loss only through the discriminator's new weights, which
 * the tape reads as constants (tf.Variable.assign keeps the variable's tensor
 * id, so no recorded op leads from the update to the loss; the tape's saved
 * inputs are clones, so the ops before the update keep the old values).
 */
export function discriminatorStep(adversary: Adversary, codes: tf.Tensor, rng: Rng): DiscriminatorStep {
  const n = codes.shape[0]!;
  const fixed = stopGradient(codes);
  const prior = normalTensor(codes.shape, rng);
  let logits: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(
    () => {
      // One batch of 2n: batchnorm in the discriminator normalises prior and codes together.
      const l = adversary.logits(tf.concat([prior, fixed], 0), { training: true, rng });
      logits = tf.keep(l);
      return discriminatorLoss(tf.slice(l, 0, n), tf.slice(l, n, n));
    },
    adversary.trainable.map((v) => v.variable),
  );
  try {
    applyInOrder(adversary.optimizer, adversary.trainable, grads);
    adversary.afterStep(rng);
    const l = logits as tf.Tensor | null;
    if (l === null) throw new Error("internal: the discriminator did not run");
    const accuracy = tf.tidy(() => discriminatorAccuracy(tf.slice(l, 0, n), tf.slice(l, n, n)));
    const moments = tf.tidy(() => {
      const flat = tf.reshape(fixed, [n, -1]);
      return tf.stack([tf.sum(flat, 0), tf.sum(tf.square(flat), 0)]) as tf.Tensor2D;
    });
    tf.dispose(l);
    return { loss: tf.keep(value), accuracy: tf.keep(accuracy), moments: tf.keep(moments) };
  } finally {
    tf.dispose([...Object.values(grads), fixed, prior]);
  }
}

/** Applies gradients in the variables' fixed order, so that the optimizer's slots come in that order (optimizers.ts relies on it). */
export function applyInOrder(optimizer: tf.Optimizer, vars: readonly NamedVariable[], grads: tf.NamedTensorMap): void {
  const named = vars.map((v) => ({ name: v.variable.name, tensor: grads[v.variable.name] ?? null }));
  // A null gradient leaves its variable (and its slots) untouched, as tf.train intends.
  optimizer.applyGradients(named as unknown as Parameters<tf.Optimizer["applyGradients"]>[0]);
}
