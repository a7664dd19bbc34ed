/**
 * Data as plain typed arrays, so targets, evaluation and the ONNX exporter can
 * share it without a tensor library.
 */
export interface Factors {
  readonly names: readonly string[];
  /** count x names.length, row-major; for generated sets the index of each factor's value. */
  readonly values: Float32Array;
}

export interface Dataset {
  /** count x product(shape), row-major. */
  readonly x: Float32Array;
  /** The shape of one example (channels last for images). */
  readonly shape: readonly number[];
  readonly count: number;
  /** Class labels, or null. */
  readonly labels: Int32Array | null;
  readonly factors: Factors | null;
  /**
   * A bound that every value lies in: the nominal range where the data
   * guarantees one (bytes scaled to [0, 1], binary images), else the observed
   * minimum and maximum; null for an empty set.
   */
  readonly range: readonly [number, number] | null;
}

export interface Split {
  readonly train: Dataset;
  /** Built-in sets have a test set; a file is all training data (evaluation then uses the validation fraction). */
  readonly test: Dataset | null;
}

export function elementsPerExample(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Assembles a Dataset, checking the invariants between its parts (a mismatch is a bug here, not a user error). */
export function makeDataset(parts: {
  x: Float32Array;
  shape: readonly number[];
  count: number;
  labels?: Int32Array | null;
  factors?: Factors | null;
  range?: readonly [number, number] | null;
}): Dataset {
  const per = elementsPerExample(parts.shape);
  if (parts.x.length !== parts.count * per) {
    throw new Error(`internal: dataset of ${parts.count} x [${parts.shape.join(", ")}] has ${parts.x.length} values`);
  }
  const labels = parts.labels ?? null;
  if (labels !== null && labels.length !== parts.count) throw new Error("internal: labels do not match the count");
  const factors = parts.factors ?? null;
  if (factors !== null && factors.values.length !== parts.count * factors.names.length) {
    throw new Error("internal: factors do not match the count");
  }
  const range = parts.range === undefined ? observedRange(parts.x) : parts.range;
  return { x: parts.x, shape: [...parts.shape], count: parts.count, labels, factors, range };
}

/** Minimum and maximum of the values, or null when there are none. */
export function observedRange(x: Float32Array): readonly [number, number] | null {
  if (x.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The examples at `indices`, in that order, with their labels and factors. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const per = elementsPerExample(ds.shape);
  const n = indices.length;
  const x = new Float32Array(n * per);
  const labels = ds.labels === null ? null : new Int32Array(n);
  const k = ds.factors?.names.length ?? 0;
  const fvalues = ds.factors === null ? null : new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const j = indices[i]!;
    if (!(j >= 0 && j < ds.count)) throw new Error(`internal: subset index ${j} outside 0..${ds.count - 1}`);
    x.set(ds.x.subarray(j * per, (j + 1) * per), i * per);
    if (labels !== null) labels[i] = ds.labels![j]!;
    if (fvalues !== null) fvalues.set(ds.factors!.values.subarray(j * k, (j + 1) * k), i * k);
  }
  const factors = fvalues === null ? null : { names: ds.factors!.names, values: fvalues };
  return { x, shape: ds.shape, count: n, labels, factors, range: ds.range };
}
