/**
 * One pass of the model in evaluation mode (no corruption, dropout or
 * sampling: a Gaussian bottleneck decodes its mean) over a data set, in
 * batches, collecting per example what the metrics need as plain arrays:
 * reconstruction errors, codes, the Gaussian posterior, the VQ indices, and,
 * with a sampler, the importance log-weights of the IWAE bound (a Gaussian
 * bottleneck's or a ladder's).
 */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, type Dataset } from "../../../src/data/dataset.js";
import { Rng } from "../../../src/data/rng.js";
import { binaryCrossEntropyPerExample, squaredErrorPerExample } from "../../../src/metrics/reconstruction-error.js";
import { rowMatrix } from "../../../src/metrics/row-matrix.js";
import type { TfModel } from "../model-api.js";
import { batchTensor } from "../train/batches.js";
import { importanceLogWeights, type ImportanceSampler } from "./importance-samples.js";
import { ladderImportanceLogWeights } from "./ladder-importance.js";

export interface PassOptions {
  readonly batch: number;
  /** Reconstruction errors (skipped for the training part, where only codes are wanted). */
  readonly errors: boolean;
  /** Binary cross-entropy too (inputs within [0, 1]). */
  readonly crossEntropy: boolean;
  readonly sampler: ImportanceSampler | null;
}

export interface PassResult {
  readonly count: number;
  readonly squaredError: Float64Array;
  readonly crossEntropy: Float64Array | null;
  /** count x codeWidth: the Gaussian mean or the latent, a latent map averaged over its positions. */
  readonly codes: Float32Array;
  readonly codeWidth: number;
  readonly pooled: boolean;
  /** count x units, for a Gaussian bottleneck. */
  readonly gaussian: { readonly mean: Float32Array; readonly logVar: Float32Array; readonly units: number } | null;
  readonly vqIndices: Int32Array | null;
  /** A ladder's levels, bottom first: posterior and top-down prior (null at the top: N(0, I)), each count x units. */
  readonly ladder: readonly LadderLevelArrays[] | null;
  /** count x samples. */
  readonly logWeights: Float64Array | null;
}

export interface LadderLevelArrays {
  readonly units: number;
  readonly mean: Float32Array;
  readonly logVar: Float32Array;
  readonly priorMean: Float32Array | null;
  readonly priorLogVar: Float32Array | null;
}

interface BatchOutputs {
  readonly reconstruction: tf.Tensor;
  readonly latent: tf.Tensor;
  readonly mean: tf.Tensor | null;
  readonly logVar: tf.Tensor | null;
  readonly indices: tf.Tensor | null;
  /** Per level: mean, logVar, and the prior's mean and logVar below the top. */
  readonly ladder: (tf.Tensor | null)[][] | null;
}

export async function evaluationPass(model: TfModel, ds: Dataset, opts: PassOptions): Promise<PassResult> {
  const ir = model.ir;
  const n = ds.count;
  const features = elementsPerExample(ds.shape);
  const latentShape = ir.bottleneck.latentShape;
  const pooled = latentShape.length > 1;
  const codeWidth = latentShape[latentShape.length - 1]!;
  const positions = elementsPerExample(latentShape) / codeWidth;
  const codes = new Float32Array(n * codeWidth);
  const squaredError = new Float64Array(opts.errors ? n : 0);
  const crossEntropy = opts.errors && opts.crossEntropy ? new Float64Array(n) : null;
  let gaussian: { mean: Float32Array; logVar: Float32Array; units: number } | null = null;
  let vqIndices: Int32Array | null = null;
  let ladder: LadderLevelArrays[] | null = null;
  const logWeights = opts.sampler !== null ? new Float64Array(n * opts.sampler.samples) : null;
  // Evaluation draws nothing; a stream of its own in case a layer did.
  const rng = new Rng(ir.train.seed, "eval/forward");

  for (let start = 0; start < n; start += opts.batch) {
    const end = Math.min(n, start + opts.batch);
    const b = end - start;
    const x = batchTensor(ds, null, start, end);
    const out = tf.tidy((): tf.TensorContainer => {
      const f = model.forward(x, { training: false, rng });
      const flat = (t: tf.Tensor) => tf.reshape(t, [b, -1]);
      return {
        reconstruction: flat(f.reconstruction),
        latent: flat(f.gaussian?.mean ?? f.latent),
        mean: f.gaussian === null ? null : flat(f.gaussian.mean),
        logVar: f.gaussian === null ? null : flat(f.gaussian.logVar),
        indices: f.vq === null ? null : tf.reshape(f.vq.indices, [-1]),
        ladder:
          f.ladder?.levels.map((l) => [
            flat(l.mean),
            flat(l.logVar),
            l.priorMean === null ? null : flat(l.priorMean),
            l.priorLogVar === null ? null : flat(l.priorLogVar),
          ]) ?? null,
      } as unknown as tf.TensorContainer;
    }) as unknown as BatchOutputs;
    try {
      const xs = ds.x.subarray(start * features, end * features);
      if (opts.errors) {
        const r = rowMatrix(await out.reconstruction.data(), b, features);
        squaredError.set(squaredErrorPerExample(rowMatrix(xs, b, features), r), start);
        crossEntropy?.set(binaryCrossEntropyPerExample(rowMatrix(xs, b, features), r), start);
      }
      const latent = (await out.latent.data()) as Float32Array;
      for (let i = 0; i < b; i++) {
        for (let p = 0; p < positions; p++) {
          for (let j = 0; j < codeWidth; j++) codes[(start + i) * codeWidth + j]! += latent[(i * positions + p) * codeWidth + j]! / positions;
        }
      }
      if (out.mean !== null && out.logVar !== null) {
        const units = out.mean.shape[1]!;
        gaussian ??= { mean: new Float32Array(n * units), logVar: new Float32Array(n * units), units };
        const [m, lv] = [(await out.mean.data()) as Float32Array, (await out.logVar.data()) as Float32Array];
        gaussian.mean.set(m, start * units);
        gaussian.logVar.set(lv, start * units);
        if (opts.sampler !== null && logWeights !== null) {
          const w = await importanceLogWeights(opts.sampler, xs, b, m, lv);
          logWeights.set(w, start * opts.sampler.samples);
        }
      }
      if (out.indices !== null) {
        const idx = (await out.indices.data()) as Int32Array;
        vqIndices ??= new Int32Array(n * positions);
        vqIndices.set(idx, start * positions);
      }
      if (out.ladder !== null) {
        ladder ??= out.ladder.map((level) => {
          const units = level[0]!.shape[1]!;
          const arrays = () => new Float32Array(n * units);
          return { units, mean: arrays(), logVar: arrays(), priorMean: level[2] === null ? null : arrays(), priorLogVar: level[3] === null ? null : arrays() };
        });
        for (const [i, level] of out.ladder.entries()) {
          const into = ladder[i]!;
          const targets = [into.mean, into.logVar, into.priorMean, into.priorLogVar];
          for (const [k, t] of level.entries()) if (t !== null) targets[k]!.set((await t.data()) as Float32Array, start * into.units);
        }
        if (opts.sampler !== null && logWeights !== null)
          logWeights.set(await ladderImportanceLogWeights(model, opts.sampler, xs, b), start * opts.sampler.samples);
      }
    } finally {
      x.dispose();
      tf.dispose([out.reconstruction, out.latent, out.mean, out.logVar, out.indices, ...(out.ladder ?? []).flat()].filter((t): t is tf.Tensor => t !== null));
    }
  }
  return { count: n, squaredError, crossEntropy, codes, codeWidth, pooled, gaussian, vqIndices, ladder, logWeights };
}
