/**
 * Shared helpers of the ONNX tests: a tfjs model with non-trivial weights,
 * its weights as the exporter reads them, onnxruntime sessions, tolerances.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as ort from "onnxruntime-node";
import { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { createModel, type TfjsModel } from "../../../targets/tfjs/model/build.js";
import type { Weights } from "../../../targets/onnx/weights.js";

/**
 * The tfjs model of `ir` with seeded weights; biases, normalisation offsets
 * and moving statistics are randomised too (they start at 0 or 1, which
 * would hide a misplaced one).
 */
export function tfjsModel(ir: IrModel, seed: number): TfjsModel {
  const model = createModel(ir, new Rng(seed, "onnx-test"));
  const rng = new Rng(seed, "onnx-test-extra");
  for (const v of [...model.trainable, ...model.state]) {
    const range = /\.(bias|beta|moving_mean)$/.test(v.name) ? [-0.5, 0.5] : /\.(gamma|moving_variance)$/.test(v.name) ? [0.5, 1.5] : null;
    if (range === null) continue;
    const values = Float32Array.from({ length: v.variable.size }, () => range[0]! + (range[1]! - range[0]!) * rng.next());
    tf.tidy(() => v.variable.assign(tf.tensor(values, v.variable.shape)));
  }
  return model;
}

/** The model's variables as the exporter reads them. */
export function weightsOf(model: TfjsModel): Weights {
  return new Map(
    [...model.trainable, ...model.state].map((v) => [
      v.name,
      { shape: [...v.variable.shape], values: Float32Array.from(v.variable.dataSync() as Float32Array) },
    ]),
  );
}

export function randomInput(shape: readonly number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.next());
}

export async function runOnnx(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; dims: readonly number[] }>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor("float32", v.data, [...v.dims]);
    return await session.run(inputs);
  } finally {
    await session.release();
  }
}

export interface Agreement {
  readonly maxAbs: number;
  readonly maxRel: number;
  /** Elements outside |a - b| <= 1e-5 + 1e-3 |b|. */
  readonly bad: number;
}

/** `a` (onnxruntime) against `b` (tfjs, the reference). */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): Agreement {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    maxAbs = Math.max(maxAbs, d);
    if (b[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(b[i]!));
    if (!(d <= 1e-5 + 1e-3 * Math.abs(b[i]!))) bad++;
  }
  return { maxAbs, maxRel, bad };
}
