import { dataError } from "./errors.js";
import type { Code } from "../diagnostics/codes.js";
import { fail, ok, type Result } from "./result.js";

/** The numeric types binary files store, by the name the rest of aespec uses. */
export type StoredType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

export const BYTES_PER: Record<StoredType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/**
 * The shape of one example from a file's dimensions (first axis = examples):
 * a rank-1 file holds one number per example ([1]); a rank-3 file holds
 * single-channel images, which get a channel axis ([n, 28, 28] -> [28, 28, 1]);
 * otherwise the remaining axes as they are.
 */
export function exampleShape(dims: readonly number[]): number[] {
  const rest = dims.slice(1);
  if (rest.length === 0) return [1];
  if (rest.length === 2) return [...rest, 1];
  return rest;
}

/**
 * The product of `dims` times `itemBytes`, or null once it exceeds `limit`
 * (so a forged header cannot make us compute, or allocate, something absurd).
 */
export function byteLength(dims: readonly number[], itemBytes: number, limit: number): number | null {
  let n = itemBytes;
  for (const d of dims) {
    n *= d;
    if (n > limit) return null;
  }
  return n;
}

/**
 * Rejects NaN and infinities, naming the first one; `offsetOf` maps a flat
 * index to the span of that value in the file.
 */
export function checkFinite(
  x: Float32Array,
  perExample: number,
  file: string,
  offsetOf: (index: number) => readonly [number, number],
  code: Code = "AE3005",
): Result<void> {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) {
      const [start, end] = offsetOf(i);
      const what = Number.isNaN(v) ? "NaN" : "an infinite value (or one beyond the float32 range)";
      const example = Math.floor(i / perExample);
      return fail(
        dataError(
          code,
          file,
          start,
          end,
          `${what} at example ${example}, element ${i - example * perExample} (flat index ${i})`,
          "training needs finite numbers; clean or drop these examples first",
        ),
      );
    }
  }
  return ok(undefined);
}
