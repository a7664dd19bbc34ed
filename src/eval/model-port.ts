/**
 * A trained model as evaluation sees it: plain arrays in, plain arrays out,
 * whatever engine runs it. A target that wants `aespec eval` on its runs
 * supplies a ModelPort (targets/tfjs/eval/tfjs-port.ts is the tfjs one); every
 * metric is computed from what the port returns (src/eval/evaluate-run.ts).
 *
 * Arrays are row-major, one row per example, without the batch axis in the
 * shapes: `count x features` for inputs and reconstructions, `count x
 * units` for a Gaussian's mean and log-variance.
 */
import type { Rng } from "../data/rng.js";
import type { IrModel } from "../ir/model.js";

export interface LadderLevelArrays {
  readonly units: number;
  readonly mean: Float32Array;
  readonly logVar: Float32Array;
  /** The level's top-down prior; null at the top, whose prior is N(0, I). */
  readonly priorMean: Float32Array | null;
  readonly priorLogVar: Float32Array | null;
}

/** One evaluation-mode forward pass (no corruption, no dropout, no sampling: a Gaussian passes its mean on). */
export interface PortForward {
  readonly reconstruction: Float32Array;
  /** What the decoder reads: count x product(latentShape). */
  readonly latent: Float32Array;
  readonly gaussian: { readonly mean: Float32Array; readonly logVar: Float32Array } | null;
  /** count x positions: a VQ's code per latent vector. */
  readonly vqIndices: Int32Array | null;
  /** Bottom level first. */
  readonly ladder: readonly LadderLevelArrays[] | null;
}

/** A ladder's forward with every level sampled (top first, each prior from the sample above), for its IWAE bound. */
export interface LadderSample {
  readonly reconstruction: Float32Array;
  /** Bottom first; z is the level's sample. */
  readonly levels: readonly (LadderLevelArrays & { readonly z: Float32Array })[];
}

export interface ModelPort {
  readonly ir: IrModel;
  /** The epoch whose weights the port runs. */
  readonly epoch: number;
  forward(x: Float32Array, count: number): Promise<PortForward>;
  /**
   * The model's own corruption applied as in training (noise from `rng`), then an evaluation-mode
   * forward of the corrupted input: what the encoder was given, its reconstruction, and for a mask 1 where the input was hidden.
   */
  forwardCorrupted(
    x: Float32Array,
    count: number,
    rng: Rng,
  ): Promise<{ readonly corrupted: Float32Array; readonly reconstruction: Float32Array; readonly hidden: Float32Array | null }>;
  /** The per-example shape decodePrior takes (a prior sample's): a ladder's top level, else the IR's latent shape. */
  readonly priorShape: readonly number[];
  /** Decodes latents given at the prior's level (count x product(priorShape)): a ladder runs its top-down path on prior means. */
  decodePrior(z: Float32Array, count: number): Promise<Float32Array>;
  /** Decodes latents at the decoder's input (count x product(latentShape)) in evaluation mode. */
  decodeLatent(z: Float32Array, count: number): Promise<Float32Array>;
  /** For a ladder: its forward with every level sampled from `rng`, on `count` rows of input. */
  sampleLadder(x: Float32Array, count: number, rng: Rng): Promise<LadderSample>;
  /** Frees what the engine holds. */
  dispose(): void;
}
