import type { Span } from "../diagnostics/span.js";
import type { Dense, Shape } from "./layers.js";

interface BottleneckBase {
  /** The encoder's output shape. */
  readonly inShape: Shape;
  /** The latent fed to the decoder (per example). */
  readonly latentShape: Shape;
  /** How many latent vectors one example yields: the product of latentShape without its last axis. */
  readonly vectorsPerExample: number;
  readonly parameters: number;
  readonly activationBytes: number;
  readonly span: Span;
}

/** Linear map of the last axis to `units`. */
export interface Deterministic extends BottleneckBase {
  readonly kind: "deterministic";
  readonly units: number;
}

/** Two linear heads (mean, log-variance) on the last axis; sample in training, mean at evaluation. */
export interface Gaussian extends BottleneckBase {
  readonly kind: "gaussian";
  readonly units: number;
}

/** Projection of the last axis to `dim`, nearest of `codes` codebook vectors, straight-through gradient. */
export interface VectorQuantizer extends BottleneckBase {
  readonly kind: "vq";
  readonly codes: number;
  readonly dim: number;
  /** EMA decay of codebook updates, or null for codebook learning by gradient. */
  readonly ema: number | null;
  /** Re-seed dead codes from encoder outputs. */
  readonly restart: boolean;
}

/**
 * One level of a ladder VAE, levels numbered from the bottom (nearest the data).
 * Bottom-up: `up` maps the level below's deterministic state (the encoder
 * output for level 0) to this level's state d_i, followed by elu; `qMean` and
 * `qLogVar` read d_i. Top-down (every level but the top): `down` maps the
 * sample of the level above (with `skip`, concatenated with that level's
 * top-down state) to the state t_i, followed by elu; `pMean` and `pLogVar`
 * read t_i and give this level's prior. The posterior is the
 * precision-weighted merge of the bottom-up and top-down Gaussians.
 * Widths: d_i and t_i have 2 * units_i features; `down` of level i reads
 * units_{i+1} features, and with `skip` also t_{i+1} (2 * units_{i+1} more)
 * when level i + 1 is not the top (the top level has no top-down state).
 */
export interface LadderLevel {
  readonly units: number;
  readonly up: Dense;
  readonly qMean: Dense;
  readonly qLogVar: Dense;
  /** null at the top level, whose prior is the model's prior. */
  readonly down: Dense | null;
  readonly pMean: Dense | null;
  readonly pLogVar: Dense | null;
  readonly span: Span;
}

export interface Ladder extends BottleneckBase {
  readonly kind: "ladder";
  readonly skip: boolean;
  /** Bottom (nearest the data) first; the decoder reads the bottom level's sample. */
  readonly levels: readonly LadderLevel[];
}

export type Bottleneck = Deterministic | Gaussian | VectorQuantizer | Ladder;
export type BottleneckKind = Bottleneck["kind"];
