/**
 * The one data shape the metrics share: a row-major matrix of numbers, one
 * example (or frame, or code) a row. Plain typed arrays, no tensor library,
 * so that evaluation, the report and the tests can all call the metrics.
 */
export interface RowMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows x cols values, row-major. */
  readonly data: ArrayLike<number>;
}

export function rowMatrix(data: ArrayLike<number>, rows: number, cols: number): RowMatrix {
  if (!(Number.isSafeInteger(rows) && rows >= 0 && Number.isSafeInteger(cols) && cols >= 0) || data.length !== rows * cols) {
    throw new Error(`internal: a ${rows} x ${cols} matrix cannot hold ${data.length} values`);
  }
  return { rows, cols, data };
}

/** Builds a RowMatrix from nested arrays (tests, small cases). */
export function fromRows(rows: readonly (readonly number[])[]): RowMatrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error("internal: ragged rows");
    data.set(r, i * cols);
  });
  return { rows: rows.length, cols, data };
}

/** Column j as a new array. */
export function column(m: RowMatrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

/** The arithmetic mean, 0 for no values (summed in float64). */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}
