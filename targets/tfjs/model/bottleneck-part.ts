/**
 * What a bottleneck builder produces.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { InitScheme } from "../../../src/ir/train.js";
import type { GaussianOut, LadderOut, VqOut } from "../model-api.js";
import type { RunContext } from "./parts.js";
import type { VariableStore } from "./variables.js";

export interface BottleneckOut {
  readonly latent: tf.Tensor;
  readonly gaussian: GaussianOut | null;
  readonly vq: VqOut | null;
  /** Only the ladder sets it. */
  readonly ladder?: LadderOut | null;
}

/** A layer's run context and ForwardOptions.sampleLatent: sample the latent even when not training. */
export interface BottleneckRun extends RunContext {
  readonly sampleLatent?: boolean;
}

/** Whether this pass samples the latent (else it is the posterior mean). */
export const samplesLatent = (run: BottleneckRun): boolean => run.training || run.sampleLatent === true;

export interface BottleneckPart {
  apply(h: tf.Tensor, run: BottleneckRun): BottleneckOut;
  /**
   * The latent the decoder reads, given a latent drawn at the prior's level
   * (for a ladder, the top level: the top-down path on prior means). Absent:
   * the prior's level is the decoder's latent itself.
   */
  fromPrior?(z: tf.Tensor): tf.Tensor;
  /** The per-example shape `fromPrior` takes when it is not the latent shape. */
  readonly priorShape?: readonly number[];
  afterStep?(rng: Rng): void;
  dispose?(): void;
}

export interface BottleneckContext {
  readonly store: VariableStore;
  readonly rng: Rng;
  /** The spec's initialisation scheme (init.ts). */
  readonly init: InitScheme;
}
