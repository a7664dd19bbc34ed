/**
 * What the builders of layers, bottlenecks and corruptions produce.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { LayerInit } from "./init.js";
import type { VariableStore } from "./variables.js";

export interface RunContext {
  readonly training: boolean;
  readonly rng: Rng;
}

/** One built layer. */
export interface Part {
  /** Batch-first input to batch-first output; callable inside tf.tidy and under the gradient tape. */
  apply(x: tf.Tensor, run: RunContext): tf.Tensor;
  /** Applies updates gathered by the last training forward (outside the tape); absent when the part has none. */
  afterStep?(rng: Rng): void;
  /** Frees what the last training forward kept for afterStep. */
  dispose?(): void;
}

export interface BuildContext {
  /** Variable name prefix, e.g. "encoder.3". */
  readonly prefix: string;
  readonly store: VariableStore;
  readonly rng: Rng;
  /** For weight layers: the spec's scheme, and the activation that follows. */
  readonly init: LayerInit;
}
