import type { Span } from "../diagnostics/span.js";
import type { Layer } from "./layers.js";

/** Corruption of the encoder's input, applied in training only. */
export type Corruption =
  | { readonly kind: "gaussian_noise"; readonly sigma: number; readonly span: Span }
  | { readonly kind: "dropout_noise"; readonly rate: number; readonly span: Span }
  | { readonly kind: "saltpepper"; readonly rate: number; readonly span: Span }
  | {
      readonly kind: "mask";
      readonly patch: number;
      readonly ratio: number;
      /** Patches per example ((h / patch) * (w / patch)) and how many are hidden. */
      readonly patches: number;
      readonly hidden: number;
      readonly span: Span;
    };
export type CorruptionKind = Corruption["kind"];

export type Likelihood = "mse" | "bernoulli" | "gaussian";
export type KernelKind = "imq" | "rbf";

/**
 * Loss terms, summed. Reconstruction is a negative log-likelihood summed over
 * an example's features and averaged over the batch.
 */
export type LossTerm =
  | { readonly kind: "reconstruction"; readonly likelihood: Likelihood; readonly on: "all" | "masked"; readonly span: Span }
  | { readonly kind: "kl"; readonly beta: number; readonly warmup: number; readonly freeBits: number; readonly span: Span }
  | { readonly kind: "contractive"; readonly weight: number; readonly span: Span }
  | { readonly kind: "mmd"; readonly weight: number; readonly kernel: KernelKind; readonly span: Span }
  | {
      readonly kind: "adversarial";
      readonly weight: number;
      readonly lr: number;
      /** Reads a latent vector, ends in one logit ([1]). */
      readonly discriminator: readonly Layer[];
      readonly parameters: number;
      readonly span: Span;
    }
  | { readonly kind: "commitment"; readonly beta: number; readonly span: Span };
export type LossKind = LossTerm["kind"];

export type Prior = { readonly kind: "normal"; readonly span: Span };
