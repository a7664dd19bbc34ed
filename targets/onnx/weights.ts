/**
 * The exporter's weights: plain float32 arrays under the tfjs target's
 * variable names ("encoder.0.kernel"), in its layouts (dense [in, out],
 * conv [k, k, cin, filters], deconv [k, k, filters, cin]).
 */
export interface WeightTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type Weights = ReadonlyMap<string, WeightTensor>;

/** Thrown by `weight` when the weights do not fit the IR; exportRun turns it into a diagnostic about the run. */
export class WeightMismatch extends Error {
  override readonly name = "WeightMismatch";
}

/** The named weight, checked against the shape the IR implies. */
export function weight(weights: Weights, name: string, shape: readonly number[]): WeightTensor {
  const w = weights.get(name);
  if (w === undefined) throw new WeightMismatch(`it holds no weight '${name}'`);
  if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
    throw new WeightMismatch(`its weight '${name}' is [${w.shape.join(", ")}], the model's is [${shape.join(", ")}]`);
  }
  return w;
}

/** `w` [d0, d1, d2, d3] with its axes permuted: out axis i is in axis perm[i]. */
export function transpose4(w: WeightTensor, perm: readonly [number, number, number, number]): WeightTensor {
  const s = w.shape;
  const outShape = perm.map((p) => s[p]!);
  const inStrides = [s[1]! * s[2]! * s[3]!, s[2]! * s[3]!, s[3]!, 1];
  const out = new Float32Array(w.values.length);
  const [a, b, c, d] = outShape as [number, number, number, number];
  let o = 0;
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let k = 0; k < c; k++)
        for (let l = 0; l < d; l++) {
          const idx = [i, j, k, l];
          let src = 0;
          for (let ax = 0; ax < 4; ax++) src += idx[ax]! * inStrides[perm[ax]!]!;
          out[o++] = w.values[src]!;
        }
  return { shape: outShape, values: out };
}
