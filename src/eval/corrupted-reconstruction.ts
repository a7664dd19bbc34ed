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
import { elementsPerExample, type Dataset } from "../data/dataset.js";
import { Rng } from "../data/rng.js";
import { binaryCrossEntropyPerExample, squaredErrorPerExample } from "../metrics/reconstruction-error.js";
import { mean, rowMatrix } from "../metrics/row-matrix.js";
import type { CorruptedReconstruction } from "./eval-report.js";
import type { ModelPort } from "./model-port.js";

export async function corruptedReconstruction(port: ModelPort, ds: Dataset, batch: number, crossEntropy: boolean): Promise<CorruptedReconstruction | null> {
  const c = port.ir.corruption;
  if (c === null) return null;
  const rng = new Rng(port.ir.train.seed, "eval/corruption");
  const features = elementsPerExample(ds.shape);
  const se = new Float64Array(ds.count);
  const bce = crossEntropy ? new Float64Array(ds.count) : null;
  const hiddenSe = c.kind === "mask" ? new Float64Array(ds.count) : null;
  for (let start = 0; start < ds.count; start += batch) {
    const end = Math.min(ds.count, start + batch);
    const b = end - start;
    const { reconstruction, hidden } = await port.forwardCorrupted(ds.x.subarray(start * features, end * features), b, rng);
    const clean = rowMatrix(ds.x.subarray(start * features, end * features), b, features);
    const r = rowMatrix(reconstruction, b, features);
    se.set(squaredErrorPerExample(clean, r), start);
    bce?.set(binaryCrossEntropyPerExample(clean, r), start);
    if (hiddenSe !== null && hidden !== null) hiddenSe.set(squaredErrorPerExample(clean, r, rowMatrix(hidden, b, features)), start);
  }
  return { corruption: c.kind, mse: mean(se), bce: bce === null ? null : mean(bce), hiddenMse: hiddenSe === null ? null : mean(hiddenSe) };
}
