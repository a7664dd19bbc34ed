/**
 * The trained model's decoder on its own, in evaluation mode, to decode
 * latents the encoder never produced (importance samples, interpolations,
 * the linear model's subspace): the model's own decodeLatent, with no
 * randomness to draw.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../src/data/rng.js";
import type { TfModel } from "../model-api.js";

export interface LatentDecoder {
  /** Decodes latents [n, ...latentShape]; call inside tf.tidy. */
  decode(z: tf.Tensor): tf.Tensor;
}

export function latentDecoder(model: TfModel): LatentDecoder {
  const run = { training: false, rng: new Rng(0, "eval/decoder") };
  return { decode: (z) => model.decodeLatent(z, run) };
}
