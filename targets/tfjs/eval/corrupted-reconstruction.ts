/**
 * For a model trained with a corruption (denoising, masked): how well it
 * restores the clean input from a corrupted one. Each evaluated example is
 * corrupted as in training (the model's own corruption, noise from the run's
 * seed, stream "eval/corruption"), the model runs in evaluation mode on it,
 * and the reconstruction is compared with the clean example: squared error
 * and binary cross-entropy summed over all features, and for a mask the
 * squared error summed over the hidden features only (the trainer's
 * `on: masked` term), each averaged over examples.
 */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, type Dataset } from "../../../src/data/dataset.js";
import { Rng } from "../../../src/data/rng.js";
import type { Corruption } from "../../../src/ir/losses.js";
import { binaryCrossEntropyPerExample, squaredErrorPerExample } from "../../../src/metrics/reconstruction-error.js";
import { mean, rowMatrix } from "../../../src/metrics/row-matrix.js";
import type { TfModel } from "../model-api.js";
import { CORRUPTIONS, type Corrupted, type InputRange } from "../model/corruptions.js";
import { batchTensor } from "../train/batches.js";
import type { CorruptedReconstruction } from "../../../src/eval/eval-report.js";

export type { CorruptedReconstruction } from "../../../src/eval/eval-report.js";

export async function corruptedReconstruction(model: TfModel, ds: Dataset, batch: number, crossEntropy: boolean): Promise<CorruptedReconstruction | null> {
  const c = model.ir.corruption;
  if (c === null) return null;
  const apply = CORRUPTIONS[c.kind] as (x: tf.Tensor, c: Corruption, range: InputRange, rng: Rng) => Corrupted;
  const rng = new Rng(model.ir.train.seed, "eval/corruption");
  const forwardRng = new Rng(model.ir.train.seed, "eval/forward");
  const features = elementsPerExample(ds.shape);
  const se = new Float64Array(ds.count);
  const bce = crossEntropy ? new Float64Array(ds.count) : null;
  const hiddenSe = c.kind === "mask" ? new Float64Array(ds.count) : null;
  for (let start = 0; start < ds.count; start += batch) {
    const end = Math.min(ds.count, start + batch);
    const b = end - start;
    const x = batchTensor(ds, null, start, end);
    const [reconstruction, hidden] = tf.tidy(() => {
      const corrupted = apply(x, c, model.ir.input.range, rng);
      const f = model.forward(corrupted.encoderInput, { training: false, rng: forwardRng });
      return [f.reconstruction, corrupted.hidden ?? tf.zeros([0])];
    });
    try {
      const clean = rowMatrix(ds.x.subarray(start * features, end * features), b, features);
      const r = rowMatrix(await reconstruction.data(), b, features);
      se.set(squaredErrorPerExample(clean, r), start);
      bce?.set(binaryCrossEntropyPerExample(clean, r), start);
      hiddenSe?.set(squaredErrorPerExample(clean, r, rowMatrix(await hidden.data(), b, features)), start);
    } finally {
      tf.dispose([x, reconstruction, hidden]);
    }
  }
  return { corruption: c.kind, mse: mean(se), bce: bce === null ? null : mean(bce), hiddenMse: hiddenSe === null ? null : mean(hiddenSe) };
}
