/**
 * For a linear autoencoder (dense layers only, no activation, normalisation
 * or dropout, a deterministic bottleneck narrower than the input): the
 * subspace its decoder spans, D(e_i) - D(0) for the unit vectors e_i of the
 * latent, against the top principal components of the training examples
 * (docs/language.md: with MSE on centred data they coincide), and of the
 * evaluated examples where those are others: a finite test set's PCA is
 * another subspace, so a model at the training optimum still shows angles
 * against it.
 */
import { elementsPerExample, type Dataset } from "../data/dataset.js";
import type { IrModel } from "../ir/model.js";
import { degrees, principalAngles, spanOfRows, topPrincipalComponents } from "../metrics/principal-angles.js";
import { rowMatrix } from "../metrics/row-matrix.js";
import type { EvalSplit } from "./eval-report.js";
import type { ModelPort } from "./model-port.js";

const LINEAR_LAYERS = new Set(["dense", "flatten", "reshape"]);
export function isLinearModel(ir: IrModel): boolean {
  const b = ir.bottleneck;
  return (
    b.kind === "deterministic" &&
    b.latentShape.length === 1 &&
    b.units < elementsPerExample(ir.input.shape) &&
    [...ir.encoder, ...ir.decoder].every((l) => LINEAR_LAYERS.has(l.kind))
  );
}

/** null when the training examples are too few for k components. */
export async function subspaceAngles(port: ModelPort, train: Dataset, evaluated: { split: EvalSplit; data: Dataset }) {
  const ir = port.ir;
  const k = ir.bottleneck.latentShape[0]!;
  const d = elementsPerExample(ir.input.shape);
  if (train.count <= k) return null;
  // Row 0: the zero latent; row i + 1: the unit vector e_i.
  const z = new Float32Array((k + 1) * k);
  for (let i = 0; i < k; i++) z[(i + 1) * k + i] = 1;
  const frames = await port.decodeLatent(z, k + 1);
  const directions = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) directions[i * d + j] = frames[(i + 1) * d + j]! - frames[j]!;
  const span = spanOfRows(rowMatrix(directions, k, d));
  const against = (ds: Dataset) => {
    const angles = principalAngles(span, topPrincipalComponents(rowMatrix(ds.x.subarray(0, ds.count * d), ds.count, d), k)).map(degrees);
    return { anglesDegrees: angles, maxDegrees: Math.max(...angles) };
  };
  return {
    components: k,
    trainExamples: train.count,
    ...against(train),
    evaluated:
      evaluated.split === "train" || evaluated.data.count <= k ? null : { split: evaluated.split, examples: evaluated.data.count, ...against(evaluated.data) },
  };
}
