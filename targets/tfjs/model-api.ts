/**
 * The contract between the tfjs model (built from the IR by targets/tfjs/model/)
 * and the trainer (targets/tfjs/train/). Types only.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../src/data/rng.js";
import type { IrModel } from "../../src/ir/model.js";

/** A variable with a stable, unique name ("encoder.0.kernel", "bottleneck.codebook"): checkpoints key on it. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

export interface GaussianOut {
  readonly mean: tf.Tensor;
  readonly logVar: tf.Tensor;
}

export interface VqOut {
  /** Encoder output projected to the code dimension, before quantization: z_e. */
  readonly encoded: tf.Tensor;
  /** Nearest codebook vectors with straight-through gradient to z_e: what the decoder reads. */
  readonly quantized: tf.Tensor;
  /** The codebook vectors without straight-through (for the codebook and commitment losses). */
  readonly codes: tf.Tensor;
  /** int32 indices of the nearest codes, shape [batch, ...latent positions]. */
  readonly indices: tf.Tensor;
}

/**
 * One level of a ladder VAE (levels bottom first, see src/ir/bottleneck.ts):
 * the merged posterior q(z_i | ...) and the top-down prior p(z_i | z_{i+1});
 * the top level's prior is the model's N(0, I), given as null.
 */
export interface LadderLevelOut {
  readonly mean: tf.Tensor;
  readonly logVar: tf.Tensor;
  readonly priorMean: tf.Tensor | null;
  readonly priorLogVar: tf.Tensor | null;
  /** z_i as the top-down path used it: a sample of the posterior (training or sampleLatent), else its mean; the ladder sets it. */
  readonly latent?: tf.Tensor;
}

export interface LadderOut {
  /** Bottom (level 0, what the decoder reads a sample of) first. */
  readonly levels: readonly LadderLevelOut[];
}

/** Everything one forward pass produced that a loss term may need. */
export interface Forward {
  /** The clean input batch. */
  readonly input: tf.Tensor;
  /** What the encoder saw (the input, corrupted in training and with ForwardOptions.corrupt). */
  readonly encoderInput: tf.Tensor;
  /** The latent fed to the decoder. */
  readonly latent: tf.Tensor;
  /** The decoder's output, shape of the input. */
  readonly reconstruction: tf.Tensor;
  /** A Gaussian bottleneck's posterior; null for a ladder (whose levels are in `ladder`, each with its own prior). */
  readonly gaussian: GaussianOut | null;
  readonly vq: VqOut | null;
  /** A ladder bottleneck's levels; absent or null for every other bottleneck. */
  readonly ladder?: LadderOut | null;
}

export interface ForwardOptions {
  /** Training: corruption, dropout, sampling and batchnorm batch statistics on. */
  readonly training: boolean;
  /** Every random draw of the pass comes from here (noise is generated on the CPU from this stream), so runs are reproducible. */
  readonly rng: Rng;
  /**
   * Sample a stochastic bottleneck's latent (a Gaussian's, every level of a ladder's) from `rng`
   * even when not training, with everything else (corruption, dropout, batchnorm) in evaluation
   * mode: the importance samples of `aespec eval`.
   */
  readonly sampleLatent?: boolean;
  /**
   * Apply the spec's corruption (drawn from `rng`) even when not training: with `sampleLatent`, the
   * validation pass that measures the training objective (train/step.ts, evalBatch in "objective" mode).
   */
  readonly corrupt?: boolean;
}

/**
 * The discriminator of an adversarial loss term with its own optimizer
 * (built by targets/tfjs/train/adversary.ts). Its variables are in neither
 * TfModel.trainable nor TfModel.state: the model's optimizer never sees them;
 * checkpoints save them and this optimizer's slots.
 */
export interface Adversary {
  /** "adversarial.discriminator.{i}.*", in a fixed order. */
  readonly trainable: readonly NamedVariable[];
  /** Its batchnorm moving statistics, if any. */
  readonly state: readonly NamedVariable[];
  /** Adam at the term's lr. */
  readonly optimizer: tf.Optimizer;
  /** One logit per code, shape [batch]; call inside tf.tidy or a gradient tape. */
  logits(codes: tf.Tensor, opts: ForwardOptions): tf.Tensor;
  /** Updates its batchnorm moving statistics from its last training pass; called after its optimizer step. */
  afterStep(rng: Rng): void;
  dispose(): void;
}

export interface TfModel {
  readonly ir: IrModel;
  /** Trainable variables, in a fixed order. */
  readonly trainable: readonly NamedVariable[];
  /** Non-trainable state: batchnorm moving statistics, VQ EMA statistics. */
  readonly state: readonly NamedVariable[];
  /** The discriminator of an adversarial term; absent or null without one. model.dispose() disposes it. */
  readonly adversary?: Adversary | null;
  /** Call inside tf.tidy / optimizer.minimize. */
  forward(x: tf.Tensor, opts: ForwardOptions): Forward;
  /** The decoder alone on latents [n, ...ir.bottleneck.latentShape] (what forward's `latent` holds); call inside tf.tidy. */
  decodeLatent(z: tf.Tensor, opts: ForwardOptions): tf.Tensor;
  /** Updates that follow an optimizer step (VQ EMA codebook, dead-code restarts, batchnorm statistics); outside of the gradient tape. */
  afterStep(f: Forward, rng: Rng): void;
  dispose(): void;
}

/** Builds the model with initial weights drawn from `rng`. */
export type BuildModel = (ir: IrModel, rng: Rng) => TfModel;
