/**
 * What a trainer tells its caller, for every target that trains: the start of a run, each
 * step, each epoch (the metrics.jsonl line) and live warnings. Only the CLI prints.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { EpochMetrics } from "../run/metrics.js";

export type { AdversarialStats, CodebookStats, EpochMetrics, GaussianStats, TermMeans } from "../run/metrics.js";

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
