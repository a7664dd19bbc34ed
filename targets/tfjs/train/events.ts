/**
 * What the trainer tells its caller. Only the CLI prints; the trainer emits
 * these through callbacks and returns them.
 */
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";

/**
 * Mean of each loss term over a pass, and the total (their sum). A term is
 * always at its full weight (kl: beta times the KL), in training and
 * validation alike, so the two columns measure the same quantities.
 */
export interface TermMeans {
  readonly total: number;
  /** Keyed by loss term kind, in the spec's order. */
  readonly terms: Readonly<Record<string, number>>;
  /**
   * Training with a KL warm-up only: the mean of what the optimizer minimised,
   * the KL weighted by the warm-up's factor at each step (see klWeight).
   */
  readonly objective?: number;
}

export interface GaussianStats {
  /** Mean over examples of KL(q || p) of each latent unit, in nats (unweighted, no free bits). */
  readonly klPerUnit: readonly number[];
  /** Their sum. */
  readonly kl: number;
  /** Units whose posterior mean varies across examples: variance > 0.01 (Burda et al. 2015). */
  readonly activeUnits: number;
  readonly units: number;
}

export interface CodebookStats {
  /** exp(entropy of the code usage), between 1 and codes. */
  readonly perplexity: number;
  readonly codesUsed: number;
  readonly codes: number;
}

/** The adversarial term's side of an epoch (train/adversarial-metrics.ts), over its training steps. */
export interface AdversarialStats {
  /** The discriminator's binary cross-entropy (prior samples 1, codes 0), mean over the steps, each before its update. */
  readonly discriminatorLoss: number;
  /** Fraction of prior samples and codes the discriminator told apart (logit > 0 for a prior sample, < 0 for a code), over the steps. */
  readonly discriminatorAccuracy: number;
  /** The encoder's loss for fooling it, -log D(z), unweighted; null when the term's weight is 0. */
  readonly generatorLoss: number | null;
  /** Mean over latent units of the codes' standard deviation over the epoch's training codes (the prior's is 1). */
  readonly codeSpread: number;
}

/** One line of metrics.jsonl. */
export interface EpochMetrics {
  /** 1-based; counts epochs before a resume too. */
  readonly epoch: number;
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
  /** Weight of the KL term at the last step of the epoch (after warm-up: beta); absent without a kl term. */
  readonly klWeight?: number;
  readonly train: TermMeans;
  /** Evaluated with schedules complete (KL at its full weight), without noise or dropout; null when validation is 0. */
  readonly validation: TermMeans | null;
  /** Where the latent statistics come from: the validation set, or the training batches of the epoch when there is none. */
  readonly statsOn: "validation" | "train";
  /** A Gaussian bottleneck's latent statistics; for a ladder, all its levels together (see `levels`). */
  readonly gaussian?: GaussianStats;
  /**
   * A ladder's statistics per level, bottom (level 0) first: KL against the level's own prior, and active
   * units with the posterior mean taken relative to that prior's mean (Var_x(E_q[z] - E_p[z]) > 0.01).
   */
  readonly levels?: readonly GaussianStats[];
  readonly codebook?: CodebookStats;
  /** With an adversarial term. */
  readonly adversarial?: AdversarialStats;
  /** The value early stopping watches (validation total, or train total without validation), and the best epoch so far. */
  readonly monitor: { readonly on: "validation" | "train"; readonly value: number; readonly bestEpoch: number };
}

export interface StartInfo {
  readonly model: string;
  /** Epoch the run starts at (0, or the checkpoint's epoch when resuming). */
  readonly startEpoch: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly trainExamples: number;
  readonly validationExamples: number;
  readonly resumed: boolean;
  /** The run directory, or null when training in memory. */
  readonly runDir: string | null;
}

export interface StepInfo {
  readonly epoch: number;
  /** 1-based within the epoch. */
  readonly step: number;
  readonly steps: number;
  /** The batch's terms at full weight, and their sum. */
  readonly total: number;
  readonly terms: Readonly<Record<string, number>>;
  /** With a KL warm-up: what this step minimised (the KL weighted by the warm-up's factor). */
  readonly objective?: number;
  /** Over the epoch so far. */
  readonly examplesPerSecond: number;
}

export interface TrainCallbacks {
  readonly onStart?: (info: StartInfo) => void;
  readonly onStep?: (info: StepInfo) => void;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  /** Live warnings (posterior or codebook collapse), located in the spec. */
  readonly onWarning?: (warning: Diagnostic) => void;
}
