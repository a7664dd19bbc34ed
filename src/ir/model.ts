import type { Span } from "../diagnostics/span.js";
import type { Bottleneck } from "./bottleneck.js";
import type { Layer, Shape } from "./layers.js";
import type { Corruption, LossTerm, Prior } from "./losses.js";
import type { TrainConfig } from "./train.js";

/**
 * The checked IR of one model: the only contract the targets see. Every value
 * has its shape; parameters and activation bytes are counted here, once.
 * Plain, immutable, JSON-serialisable data.
 */
export interface IrModel {
  readonly kind: "Model";
  readonly name: string;
  /** sha256 of the model's canonical form (IR without spans): resume refuses a changed spec. */
  readonly hash: string;
  readonly input: {
    readonly shape: Shape;
    /** Declared with `in [low, high]`, else the data set's known range, else null. */
    readonly range: readonly [number, number] | null;
    readonly span: Span;
  };
  readonly corruption: Corruption | null;
  readonly encoder: readonly Layer[];
  readonly bottleneck: Bottleneck;
  readonly decoder: readonly Layer[];
  readonly prior: Prior;
  readonly losses: readonly LossTerm[];
  readonly train: TrainConfig;
  readonly totals: {
    /** Trainable parameters of encoder, bottleneck, decoder and any discriminator. */
    readonly parameters: number;
    readonly state: number;
    /** Activation bytes per example over the whole forward pass. */
    readonly activationBytes: number;
  };
  readonly span: Span;
}
