/**
 * What `aespec eval` measures, as plain data: the stable JSON object of
 * `aespec eval --json`. A section is null when its metric does not apply to
 * the model or the data; `notes` says why a metric one might expect is absent.
 */
import type { BottleneckKind } from "../ir/bottleneck.js";
import type { Corruption, Likelihood } from "../ir/losses.js";

/** Which examples were evaluated: the test set, the validation fraction (a file), or the training data. */
export type EvalSplit = "test" | "validation" | "train";

/** Built-in labelled sets whose test split `--anomaly-data` can score. */
export const ANOMALY_DATA = ["mnist", "fashion_mnist"] as const;
export type AnomalyDataName = (typeof ANOMALY_DATA)[number];

export type AnomalyScoreName = "reconstruction" | "negative_elbo";

export interface AnomalyReport {
  readonly anomalyClass: number;
  /** Which examples were scored: "evaluated" (the run's, as the other metrics) or a built-in set's test split. */
  readonly scored: "evaluated" | AnomalyDataName;
  readonly examples: number;
  /** Examples of the anomaly class. */
  readonly anomalies: number;
  readonly normals: number;
  readonly scores: readonly {
    readonly score: AnomalyScoreName;
    /** What was summed, in words (e.g. "binary cross-entropy"). */
    readonly definition: string;
    readonly auroc: number;
  }[];
}

export interface CorruptedReconstruction {
  readonly corruption: Corruption["kind"];
  readonly mse: number;
  readonly bce: number | null;
  /** mask only: the squared error over the hidden features. */
  readonly hiddenMse: number | null;
}

/** The IWAE bound and the ELBO from the same K log-weights per example. */
export interface IwaeBounds {
  readonly samples: number;
  /** Monte-Carlo ELBO: the mean of all log-weights (the K=1 bound, averaged over the K samples). */
  readonly elbo: number;
  /** Mean over examples of the IWAE bound L_K. */
  readonly bound: number;
  /** -bound: the estimate of the test negative log-likelihood. */
  readonly nll: number;
}

export interface EvalReport {
  readonly run: string;
  readonly model: string;
  /** Epochs the checkpoint holds. */
  readonly epoch: number;
  readonly bottleneck: BottleneckKind;
  /** Which examples were evaluated: the test set, the validation fraction (a file), or the training data. */
  readonly split: EvalSplit;
  readonly examples: number;
  readonly reconstruction: {
    /** The likelihood of the model's reconstruction term, null without one. */
    readonly likelihood: Likelihood | null;
    /** Mean over examples of the squared error summed over features. */
    readonly mse: number;
    /** Mean over examples of the binary cross-entropy summed over features; null when inputs leave [0, 1]. */
    readonly bce: number | null;
  };
  /** A model trained with a corruption: reconstruction of the clean input from a corrupted one (src/eval/corrupted-reconstruction.ts). */
  readonly corrupted: CorruptedReconstruction | null;
  readonly gaussian: {
    readonly units: number;
    /** Mean over examples of KL(q(z|x) || N(0, I)), nats, closed form. */
    readonly kl: number;
    readonly klPerUnit: readonly number[];
    /** Units whose posterior mean varies over the data: variance > 0.01. */
    readonly activeUnits: number;
    /** Importance-sampled bounds; null when the decoder could not be run alone. */
    readonly iwae: IwaeBounds | null;
  } | null;
  /** A ladder's levels, bottom first, at the posterior means (as the trainer's validation): KL against each level's top-down prior. */
  readonly ladder: {
    readonly levels: readonly {
      readonly units: number;
      readonly kl: number;
      readonly klPerUnit: readonly number[];
      readonly activeUnits: number;
    }[];
    /** Sum over the levels. */
    readonly kl: number;
    /** Importance-sampled bounds, each sample one of the whole hierarchy (src/eval/ladder-importance.ts); null when not computed. */
    readonly iwae: IwaeBounds | null;
  } | null;
  readonly codebook: {
    readonly codes: number;
    readonly used: number;
    readonly dead: number;
    readonly entropy: number;
    readonly perplexity: number;
    /** How many latent vectors chose each code. */
    readonly usage: readonly number[];
  } | null;
  readonly probe: {
    readonly accuracy: number;
    /** Share of the most frequent class among the evaluated examples. */
    readonly chance: number;
    readonly classes: number;
    readonly trainExamples: number;
    readonly testExamples: number;
  } | null;
  readonly mig: {
    readonly score: number;
    readonly factors: readonly { readonly name: string; readonly gap: number | null }[];
  } | null;
  /**
   * Principal angles between the span of a linear model's decoder and the top principal components:
   * of the training examples the trainer used (the subspace its objective defines), and of the
   * evaluated examples where those are others (a test set, a validation fraction).
   */
  readonly subspace: {
    readonly components: number;
    /** Against the training examples' PCA. */
    readonly trainExamples: number;
    readonly anglesDegrees: readonly number[];
    readonly maxDegrees: number;
    /** Against the evaluated examples' PCA; null when they are the training examples. */
    readonly evaluated: { readonly split: EvalSplit; readonly examples: number; readonly anglesDegrees: readonly number[]; readonly maxDegrees: number } | null;
  } | null;
  readonly interpolation: {
    readonly pairs: number;
    readonly steps: number;
    /** Means over the pairs. */
    readonly decodedLength: number;
    readonly straightLength: number;
    readonly ratio: number | null;
  } | null;
  /** With --anomaly-class: the AUROC of each anomaly score (src/eval/anomaly.ts); null otherwise. */
  readonly anomaly: AnomalyReport | null;
  /** Codes for probe and MIG are a latent map's mean over its positions. */
  readonly pooledCodes: boolean;
  readonly notes: readonly string[];
}
