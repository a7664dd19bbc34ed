/** Batches as tensors, cut from a data set in a given order. */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, type Dataset } from "../../../src/data/dataset.js";

export interface BatchPlan {
  readonly steps: number;
  /** Examples in batch `i` (the last one may be smaller). */
  size(i: number): number;
}

/** Every example once per epoch; the last batch holds the remainder. */
export function batchPlan(count: number, batch: number): BatchPlan {
  const steps = Math.ceil(count / batch);
  return { steps, size: (i) => Math.min(batch, count - i * batch) };
}

/** The examples order[start..end) as one tensor [n, ...shape]. */
export function batchTensor(ds: Dataset, order: ArrayLike<number> | null, start: number, end: number): tf.Tensor {
  const per = elementsPerExample(ds.shape);
  const n = end - start;
  if (order === null) return tf.tensor(ds.x.subarray(start * per, end * per), [n, ...ds.shape], "float32");
  const buf = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const j = order[start + i]!;
    buf.set(ds.x.subarray(j * per, (j + 1) * per), i * per);
  }
  return tf.tensor(buf, [n, ...ds.shape], "float32");
}
