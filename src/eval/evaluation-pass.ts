/**
 * One pass of the model in evaluation mode (no corruption, dropout or
 * sampling: a Gaussian bottleneck decodes its mean) over a data set, in
 * batches, through the model's port, collecting per example what the
 * metrics need as plain arrays: reconstruction errors, codes, the Gaussian
 * posterior, the VQ indices, and, with a sampler, the importance log-weights
 * of the IWAE bound (a Gaussian bottleneck's or a ladder's).
 */
import { elementsPerExample, type Dataset } from "../data/dataset.js";
import { binaryCrossEntropyPerExample, squaredErrorPerExample } from "../metrics/reconstruction-error.js";
import { rowMatrix } from "../metrics/row-matrix.js";
import { importanceLogWeights, type ImportanceSampler } from "./importance-samples.js";
import { ladderImportanceLogWeights } from "./ladder-importance.js";
import type { LadderLevelArrays, ModelPort } from "./model-port.js";

export type { LadderLevelArrays } from "./model-port.js";

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

export async function evaluationPass(port: ModelPort, ds: Dataset, opts: PassOptions): Promise<PassResult> {
  const ir = port.ir;
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
  let ladder: { units: number; mean: Float32Array; logVar: Float32Array; priorMean: Float32Array | null; priorLogVar: Float32Array | null }[] | null = null;
  const logWeights = opts.sampler !== null ? new Float64Array(n * opts.sampler.samples) : null;

  for (let start = 0; start < n; start += opts.batch) {
    const end = Math.min(n, start + opts.batch);
    const b = end - start;
    const xs = ds.x.subarray(start * features, end * features);
    const out = await port.forward(xs, b);
    if (opts.errors) {
      const r = rowMatrix(out.reconstruction, b, features);
      squaredError.set(squaredErrorPerExample(rowMatrix(xs, b, features), r), start);
      crossEntropy?.set(binaryCrossEntropyPerExample(rowMatrix(xs, b, features), r), start);
    }
    // A Gaussian's code is its mean; a latent map is averaged over its positions.
    const latent = out.gaussian?.mean ?? out.latent;
    for (let i = 0; i < b; i++) {
      for (let p = 0; p < positions; p++) {
        for (let j = 0; j < codeWidth; j++) codes[(start + i) * codeWidth + j]! += latent[(i * positions + p) * codeWidth + j]! / positions;
      }
    }
    if (out.gaussian !== null) {
      const units = out.gaussian.mean.length / b;
      gaussian ??= { mean: new Float32Array(n * units), logVar: new Float32Array(n * units), units };
      gaussian.mean.set(out.gaussian.mean, start * units);
      gaussian.logVar.set(out.gaussian.logVar, start * units);
      if (opts.sampler !== null && logWeights !== null) {
        logWeights.set(await importanceLogWeights(port, opts.sampler, xs, b, out.gaussian.mean, out.gaussian.logVar), start * opts.sampler.samples);
      }
    }
    if (out.vqIndices !== null) {
      vqIndices ??= new Int32Array(n * positions);
      vqIndices.set(out.vqIndices, start * positions);
    }
    if (out.ladder !== null) {
      const levels = out.ladder;
      ladder ??= levels.map((l) => {
        const arrays = () => new Float32Array(n * l.units);
        return {
          units: l.units,
          mean: arrays(),
          logVar: arrays(),
          priorMean: l.priorMean === null ? null : arrays(),
          priorLogVar: l.priorLogVar === null ? null : arrays(),
        };
      });
      for (const [i, l] of levels.entries()) {
        const into = ladder[i]!;
        into.mean.set(l.mean, start * l.units);
        into.logVar.set(l.logVar, start * l.units);
        if (l.priorMean !== null) into.priorMean?.set(l.priorMean, start * l.units);
        if (l.priorLogVar !== null) into.priorLogVar?.set(l.priorLogVar, start * l.units);
      }
      if (opts.sampler !== null && logWeights !== null)
        logWeights.set(await ladderImportanceLogWeights(port, opts.sampler, xs, b), start * opts.sampler.samples);
    }
  }
  return { count: n, squaredError, crossEntropy, codes, codeWidth, pooled, gaussian, vqIndices, ladder, logWeights };
}
