/**
 * Smoothness of a decoded interpolation (after the "perceptual path length"
 * idea of Karras et al. 2019, here in plain Euclidean pixel distance): the
 * frames D(z(t_0)), ..., D(z(t_T)) decoded along a straight line between two
 * codes form a path whose length is sum_t ||D(z(t_{i+1})) - D(z(t_i))||_2.
 * The straight pixel interpolation between the same two end frames has
 * length ||D(z(t_T)) - D(z(t_0))||_2, the shortest possible; their ratio is
 * >= 1 and is 1 exactly when the decoded frames move along a straight line
 * in pixel space, monotonically.
 */
import type { RowMatrix } from "./row-matrix.js";

/** The points a + t (b - a) at t = 0, 1/(steps-1), ..., 1 (steps >= 2), one a row. */
export function linearInterpolation(a: ArrayLike<number>, b: ArrayLike<number>, steps: number): RowMatrix {
  if (!(Number.isInteger(steps) && steps >= 2) || a.length !== b.length) throw new Error("internal: interpolation needs steps >= 2 and equal lengths");
  const d = a.length;
  const data = new Float64Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let j = 0; j < d; j++) data[s * d + j] = a[j]! + t * (b[j]! - a[j]!);
  }
  return { rows: steps, cols: d, data };
}

function distance(m: RowMatrix, i: number, k: number): number {
  let s = 0;
  for (let j = 0; j < m.cols; j++) {
    const d = m.data[i * m.cols + j]! - m.data[k * m.cols + j]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Sum of the distances between consecutive frames (rows). */
export function pathLength(frames: RowMatrix): number {
  let s = 0;
  for (let i = 1; i < frames.rows; i++) s += distance(frames, i - 1, i);
  return s;
}

export interface PathComparison {
  readonly decodedLength: number;
  /** Length of the straight pixel interpolation between the first and last frame. */
  readonly straightLength: number;
  /** decoded / straight (>= 1); null when the end frames coincide. */
  readonly ratio: number | null;
}

export function comparePathToStraight(frames: RowMatrix): PathComparison {
  const decodedLength = pathLength(frames);
  const straightLength = frames.rows < 2 ? 0 : distance(frames, 0, frames.rows - 1);
  return { decodedLength, straightLength, ratio: straightLength > 0 ? decodedLength / straightLength : null };
}
