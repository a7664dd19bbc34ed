/**
 * For a linear autoencoder (dense layers only, no activation, normalisation
 * or dropout, a deterministic bottleneck narrower than the input): the
 * subspace its decoder spans, D(e_i) - D(0) for the unit vectors e_i of the
 * latent, against the top principal components of the training data
 * (docs/language.md: with MSE on centred data they coincide).
 */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, type Dataset } from "../../../src/data/dataset.js";
import type { IrModel } from "../../../src/ir/model.js";
import { degrees, principalAngles, spanOfRows, topPrincipalComponents } from "../../../src/metrics/principal-angles.js";
import { rowMatrix } from "../../../src/metrics/row-matrix.js";
import type { LatentDecoder } from "./latent-decoder.js";

const LINEAR_LAYERS = new Set(["dense", "flatten", "reshape"]);
/** Training examples the principal components are computed from. */
export const PCA_EXAMPLES = 10000;

export function isLinearModel(ir: IrModel): boolean {
  const b = ir.bottleneck;
  return (
    b.kind === "deterministic" &&
    b.latentShape.length === 1 &&
    b.units < elementsPerExample(ir.input.shape) &&
    [...ir.encoder, ...ir.decoder].every((l) => LINEAR_LAYERS.has(l.kind))
  );
}

export async function subspaceAngles(ir: IrModel, decoder: LatentDecoder, train: Dataset) {
  const k = ir.bottleneck.latentShape[0]!;
  const d = elementsPerExample(ir.input.shape);
  const decoded = tf.tidy(() => {
    const z = tf.concat([tf.zeros([1, k]), tf.eye(k)]);
    return tf.reshape(decoder.decode(z), [k + 1, d]);
  });
  const frames = await decoded.data();
  decoded.dispose();
  const directions = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) directions[i * d + j] = frames[(i + 1) * d + j]! - frames[j]!;
  const n = Math.min(train.count, PCA_EXAMPLES);
  const pca = topPrincipalComponents(rowMatrix(train.x.subarray(0, n * d), n, d), k);
  const angles = principalAngles(spanOfRows(rowMatrix(directions, k, d)), pca).map(degrees);
  return { components: k, anglesDegrees: angles, maxDegrees: Math.max(...angles) };
}
