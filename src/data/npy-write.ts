/**
 * Writing float32 and int32 arrays as NPY files (format version 1.0, '<f4' or '<i4', C order),
 * readable by numpy.load and by this module's reader.
 */
import type { Result } from "./result.js";
import { writeFileAtomic, type WriteOptions } from "./write-file.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]; // \x93NUMPY, version 1.0
/** The spec pads magic + length + header to a multiple of 64 bytes so the data is aligned. */
const ALIGN = 64;

/** The bytes of an NPY file holding `values` with shape `shape` (the product of shape must be values.length). */
export function npyBytes(values: Float32Array, shape: readonly number[]): Uint8Array {
  return npyOf(values, shape, "<f4", (view, at, v) => view.setFloat32(at, v, true));
}

/** The same for int32 values ('<i4': class labels, code indices). */
export function npyInt32Bytes(values: Int32Array, shape: readonly number[]): Uint8Array {
  return npyOf(values, shape, "<i4", (view, at, v) => view.setInt32(at, v, true));
}

function npyOf(
  values: Float32Array | Int32Array,
  shape: readonly number[],
  descr: "<f4" | "<i4",
  set: (view: DataView, at: number, v: number) => void,
): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`internal: ${values.length} values do not make shape [${shape.join(", ")}]`);
  }
  // A one-element tuple needs its trailing comma in Python syntax.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const prefix = MAGIC.length + 2;
  // Pad with spaces, ending in a newline, to the alignment.
  const total = Math.ceil((prefix + dict.length + 1) / ALIGN) * ALIGN;
  const header = dict + " ".repeat(total - prefix - dict.length - 1) + "\n";
  if (header.length > 0xffff) throw new Error("internal: NPY 1.0 header too long");
  const out = new Uint8Array(total + 4 * values.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(MAGIC.length, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  for (let i = 0; i < values.length; i++) set(view, total + 4 * i, values[i]!);
  return out;
}

/** Writes an int32 NPY file atomically (see writeFileAtomic); the folder must exist. */
export function writeNpyInt32File(file: string, values: Int32Array, shape: readonly number[], opts: WriteOptions = {}): Result<void> {
  return writeFileAtomic(file, npyInt32Bytes(values, shape), "AE3205", opts);
}

/** Writes an NPY file atomically (see writeFileAtomic); the folder must exist. */
export function writeNpyFile(file: string, values: Float32Array, shape: readonly number[], opts: WriteOptions = {}): Result<void> {
  return writeFileAtomic(file, npyBytes(values, shape), "AE3205", opts);
}
