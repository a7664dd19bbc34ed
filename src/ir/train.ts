import type { Span } from "../diagnostics/span.js";
import type { Shape } from "./layers.js";

/** Where training data comes from. Built-in sets are generated or shipped; files are read by src/data. */
export type DataSource =
  | { readonly kind: "mnist"; readonly span: Span }
  | { readonly kind: "fashion_mnist"; readonly span: Span }
  | { readonly kind: "sprites"; readonly size: number; readonly count: number; readonly span: Span }
  | { readonly kind: "sphere"; readonly dim: number; readonly noise: number; readonly count: number; readonly span: Span }
  | { readonly kind: "lowrank"; readonly dim: number; readonly rank: number; readonly count: number; readonly span: Span }
  | {
      readonly kind: "file";
      /** As written in the spec. */
      readonly path: string;
      /** Absolute, resolved against the spec file's folder. */
      readonly resolvedPath: string;
      readonly format: "npy" | "idx" | "csv";
      readonly span: Span;
    };
export type DataKind = DataSource["kind"];

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

export interface TrainConfig {
  /** null when the spec names no data (check still works; train refuses). */
  readonly data: DataSource | null;
  readonly dataFacts: DataFacts | null;
  readonly optimizer: Optimizer;
  readonly batch: number;
  readonly epochs: number;
  readonly seed: number;
  /** Fraction of the training set held out for validation, in [0, 1). */
  readonly validation: number;
  /** Patience in epochs, or null for none. */
  readonly earlyStop: number | null;
}
