/**
 * What a bottleneck builder produces.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { GaussianOut, VqOut } from "../model-api.js";
import type { RunContext } from "./parts.js";
import type { VariableStore } from "./variables.js";

export interface BottleneckOut {
  readonly latent: tf.Tensor;
  readonly gaussian: GaussianOut | null;
  readonly vq: VqOut | null;
}

export interface BottleneckPart {
  apply(h: tf.Tensor, run: RunContext): BottleneckOut;
  afterStep?(rng: Rng): void;
  dispose?(): void;
}

export interface BottleneckContext {
  readonly store: VariableStore;
  readonly rng: Rng;
}
