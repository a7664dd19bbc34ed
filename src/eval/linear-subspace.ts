/**
 * For a linear autoencoder (dense layers only, no activation, normalisation
 * or dropout, a deterministic bottleneck narrower than the input): the
 * subspace its decoder spans, D(e_i) - D(0) for the unit vectors e_i of the
 * latent, against the top principal components of the training data
 * (docs/language.md: with MSE on centred data they coincide).
 */
import { elementsPerExample, type Dataset } from "../data/dataset.js";
import type { IrModel } from "../ir/model.js";
import { degrees, principalAngles, spanOfRows, topPrincipalComponents } from "../metrics/principal-angles.js";
import { rowMatrix } from "../metrics/row-matrix.js";
import type { ModelPort } from "./model-port.js";

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

export async function subspaceAngles(port: ModelPort, train: Dataset) {
  const ir = port.ir;
  const k = ir.bottleneck.latentShape[0]!;
  const d = elementsPerExample(ir.input.shape);
  // Row 0: the zero latent; row i + 1: the unit vector e_i.
  const z = new Float32Array((k + 1) * k);
  for (let i = 0; i < k; i++) z[(i + 1) * k + i] = 1;
  const frames = await port.decodeLatent(z, k + 1);
  const directions = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) directions[i * d + j] = frames[(i + 1) * d + j]! - frames[j]!;
  const n = Math.min(train.count, PCA_EXAMPLES);
  const pca = topPrincipalComponents(rowMatrix(train.x.subarray(0, n * d), n, d), k);
  const angles = principalAngles(spanOfRows(rowMatrix(directions, k, d)), pca).map(degrees);
  return { components: k, anglesDegrees: angles, maxDegrees: Math.max(...angles) };
}
