import type { Span } from "../diagnostics/span.js";
import type { Shape } from "./layers.js";

/** Where training data comes from. Built-in sets are generated or shipped; files are read by src/data. */
export type DataSource =
  /** `count`: only the first count training examples (and the first testCountFor(count) test ones); absent: all 60,000 and 10,000. */
  | { readonly kind: "mnist"; readonly count?: number; readonly span: Span }
  | { readonly kind: "fashion_mnist"; readonly count?: number; readonly span: Span }
  | { readonly kind: "sprites"; readonly size: number; readonly count: number; readonly span: Span }
  | { readonly kind: "sphere"; readonly dim: number; readonly noise: number; readonly count: number; readonly span: Span }
  | { readonly kind: "lowrank"; readonly dim: number; readonly rank: number; readonly count: number; readonly span: Span }
  | (DataFile & {
      readonly kind: "file";
      /** The train setting `test: "x_test.npy"`: held-out examples eval and report use (present only when written, so other specs keep their hash). */
      readonly test?: DataFile;
    });
export type DataKind = DataSource["kind"];

/** A data file named in a spec. */
export interface DataFile {
  /** As written in the spec. */
  readonly path: string;
  /** Absolute, resolved against the spec file's folder. */
  readonly resolvedPath: string;
  readonly format: "npy" | "idx" | "csv";
  readonly span: Span;
}

/** What is known about a data set before reading it (null: known only once read). */
export interface DataFacts {
  readonly shape: Shape | null;
  readonly range: readonly [number, number] | null;
  readonly trainSize: number | null;
  readonly testSize: number | null;
  readonly labels: boolean;
}

export type Optimizer =
  | { readonly kind: "adam"; readonly lr: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number; readonly span: Span }
  | { readonly kind: "sgd"; readonly lr: number; readonly momentum: number; readonly span: Span }
  | { readonly kind: "rmsprop"; readonly lr: number; readonly decay: number; readonly momentum: number; readonly epsilon: number; readonly span: Span };
export type OptimizerKind = Optimizer["kind"];

/**
 * How the first weights are drawn (docs/language.md, "Initialisation"):
 * `torch` PyTorch's defaults for Linear and Conv (kernels and biases U(+-1/sqrt(fan_in))),
 * `he` He's uniform limit before a ReLU-family activation and Glorot's elsewhere, zero biases
 * (aespec's scheme before `init` existed), `glorot` Glorot's uniform limit everywhere, zero biases (Keras's default).
 */
export type InitScheme = "torch" | "he" | "glorot";

/**
 * The learning rate over training, as a factor of the optimizer's `lr` at each step: a linear
 * warm-up over `warmup` epochs (from 1 / (warmup steps) to 1), then constant, step decay
 * (times `factor` every `every` epochs) or a cosine from `lr` down to `min` at the last step.
 */
export type LrSchedule =
  | { readonly kind: "constant"; readonly warmup: number; readonly span: Span | null }
  | { readonly kind: "step"; readonly every: number; readonly factor: number; readonly warmup: number; readonly span: Span }
  | { readonly kind: "cosine"; readonly min: number; readonly warmup: number; readonly span: Span };
export type LrScheduleKind = LrSchedule["kind"];

/** The rate of a spec that writes no schedule (and of a run trained before schedules existed). */
export const CONSTANT_RATE: LrSchedule = { kind: "constant", warmup: 0, span: null };

export interface TrainConfig {
  /** null when the spec names no data (check still works; train refuses). */
  readonly data: DataSource | null;
  readonly dataFacts: DataFacts | null;
  readonly optimizer: Optimizer;
  /** The optimizer's learning rate over the steps; `{ kind: "constant", warmup: 0 }` when none is written. */
  readonly schedule: LrSchedule;
  readonly init: InitScheme;
  readonly batch: number;
  readonly epochs: number;
  readonly seed: number;
  /** Fraction of the training set held out for validation, in [0, 1). */
  readonly validation: number;
  /** Patience in epochs, or null for none. */
  readonly earlyStop: number | null;
}

/** Adam's defaults: Kingma and Ba's (and PyTorch's) epsilon 1e-8, where tfjs and Keras use 1e-7. An adversarial term's discriminator takes them too. */
export const ADAM_DEFAULTS = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
