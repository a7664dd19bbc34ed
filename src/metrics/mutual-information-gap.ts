/**
 * Mutual Information Gap (Chen, Li, Grosse, Duvenaud 2018, "Isolating Sources
 * of Disentanglement in Variational Autoencoders"), computed as
 * disentanglement_lib does (evaluation/metrics/mig.py and utils.py):
 * 1. each code dimension (the encoder's means) is discretised on its own
 *    into 20 equal-width bins: np.digitize(c, np.histogram(c, 20)[1][:-1]),
 *    i.e. the index 1..20 of the left edge at or below each value, the edges
 *    linspace(min, max, 21) (min - 0.5 .. max + 0.5 for a constant column);
 * 2. the discrete mutual information I(c_j; v_k) of every code j and factor
 *    k in nats (sklearn.metrics.mutual_info_score: sum over the contingency
 *    table of p(a, b) log(p(a, b) / (p(a) p(b))), clipped at 0);
 * 3. each factor's entropy H(v_k) = I(v_k; v_k);
 * 4. MIG = mean over factors of (largest - second largest I(c_j; v_k)) / H(v_k).
 * Two choices where disentanglement_lib leaves a case undefined: a factor
 * that never varies (H = 0, a division by zero there) is left out of the
 * mean and reported as skipped (its dSprites set lists no constant factor);
 * with a single code dimension the second largest is taken as 0.
 */
import { column, type RowMatrix } from "./row-matrix.js";

export const MIG_BINS = 20;

/** numpy's histogram bin edges for `bins` equal-width bins over the values' range. */
export function histogramEdges(values: ArrayLike<number>, bins = MIG_BINS): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  if (values.length === 0) throw new Error("internal: no values to discretise");
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // As numpy.linspace: start + i * step, and the last edge exactly the stop.
  const step = (hi - lo) / bins;
  const float32 = values instanceof Float32Array;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = i === bins ? hi : lo + i * step;
  if (float32) for (let i = 0; i <= bins; i++) edges[i] = Math.fround(edges[i]!);
  return edges;
}

/** Bin index 1..bins of each value: the number of left edges at or below it (np.digitize, right=False). */
export function histogramDiscretize(values: ArrayLike<number>, bins = MIG_BINS): Int32Array {
  const edges = histogramEdges(values, bins);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Binary search for the count of edges[0..bins) <= v.
    let a = 0;
    let b = bins;
    while (a < b) {
      const m = (a + b) >> 1;
      if (edges[m]! <= v) a = m + 1;
      else b = m;
    }
    out[i] = a;
  }
  return out;
}

/** Relabels arbitrary values as 0..distinct-1 (categories, as sklearn treats labels). */
function categories(values: ArrayLike<number>): { ids: Int32Array; count: number } {
  const seen = new Map<number, number>();
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let id = seen.get(values[i]!);
    if (id === undefined) {
      id = seen.size;
      seen.set(values[i]!, id);
    }
    ids[i] = id;
  }
  return { ids, count: seen.size };
}

/** I(a; b) in nats from the empirical joint distribution of two label sequences. */
export function discreteMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error("internal: label sequences differ in length");
  const ca = categories(a);
  const cb = categories(b);
  if (n === 0 || ca.count === 1 || cb.count === 1) return 0;
  const joint = new Float64Array(ca.count * cb.count);
  const pa = new Float64Array(ca.count);
  const pb = new Float64Array(cb.count);
  for (let i = 0; i < n; i++) {
    joint[ca.ids[i]! * cb.count + cb.ids[i]!]! += 1;
    pa[ca.ids[i]!]! += 1;
    pb[cb.ids[i]!]! += 1;
  }
  let mi = 0;
  for (let x = 0; x < ca.count; x++) {
    for (let y = 0; y < cb.count; y++) {
      const nxy = joint[x * cb.count + y]!;
      if (nxy > 0) mi += (nxy / n) * Math.log((n * nxy) / (pa[x]! * pb[y]!));
    }
  }
  return Math.max(0, mi);
}

/** H(a) in nats, as I(a; a). */
export function discreteEntropy(a: ArrayLike<number>): number {
  return discreteMutualInformation(a, a);
}

export interface MigResult {
  /** Mean over the factors that vary of the normalised gap; NaN when none varies. */
  readonly score: number;
  /** Each factor's normalised gap, null for a factor that never varies (left out of the mean). */
  readonly perFactor: readonly (number | null)[];
  /** I(code j; factor k), codes x factors, nats. */
  readonly mutualInformation: RowMatrix;
  readonly entropies: Float64Array;
}

/** MIG of codes (examples x code dimensions) against factors (examples x factors). */
export function mutualInformationGap(codes: RowMatrix, factors: RowMatrix, bins = MIG_BINS): MigResult {
  if (codes.rows !== factors.rows) throw new Error("internal: codes and factors differ in examples");
  const discrete = Array.from({ length: codes.cols }, (_, j) => {
    const c = column(codes, j);
    return histogramDiscretize(codes.data instanceof Float32Array ? Float32Array.from(c) : c, bins);
  });
  const factorColumns = Array.from({ length: factors.cols }, (_, k) => column(factors, k));
  const mi = new Float64Array(codes.cols * factors.cols);
  for (let j = 0; j < codes.cols; j++) {
    for (let k = 0; k < factors.cols; k++) mi[j * factors.cols + k] = discreteMutualInformation(factorColumns[k]!, discrete[j]!);
  }
  const entropies = Float64Array.from(factorColumns, discreteEntropy);
  const perFactor = factorColumns.map((_, k) => {
    if (entropies[k]! <= 0) return null;
    let first = 0;
    let second = 0;
    for (let j = 0; j < codes.cols; j++) {
      const v = mi[j * factors.cols + k]!;
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) second = v;
    }
    return (first - second) / entropies[k]!;
  });
  const used = perFactor.filter((g): g is number => g !== null);
  const score = used.length === 0 ? NaN : used.reduce((s, g) => s + g, 0) / used.length;
  return { score, perFactor, mutualInformation: { rows: codes.cols, cols: factors.cols, data: mi }, entropies };
}
