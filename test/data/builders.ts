import { writeFileSync } from "node:fs";
import { join } from "node:path";

export { tempDir } from "../support/temp-dir.js";

export function writeBytes(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export type NpyDtype = "<f4" | ">f4" | "<f8" | ">f8" | "|u1";

/** The dict text numpy writes, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } */
export function npyDict(descr: string, shape: readonly number[], fortran = false): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  return `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${tuple}, }`;
}

/**
 * An NPY file as numpy.save writes it (written here from the format's
 * description, independently of the reader): magic, version, little-endian
 * header length, the dict padded with spaces and ended by a newline so the
 * data starts at a multiple of 64.
 */
export function npyFile(opts: { dtype: NpyDtype; shape: readonly number[]; values: ArrayLike<number>; version?: 1 | 2 | 3; dict?: string }): {
  bytes: Uint8Array;
  dataOffset: number;
  headerStart: number;
  header: string;
} {
  const version = opts.version ?? 1;
  const prefix = version === 1 ? 10 : 12;
  let header = opts.dict ?? npyDict(opts.dtype, opts.shape);
  const total = prefix + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const item = opts.dtype.endsWith("8") ? 8 : opts.dtype.endsWith("4") ? 4 : 1;
  const dataOffset = prefix + header.length;
  const bytes = new Uint8Array(dataOffset + opts.values.length * item);
  bytes.set([0x93, ...Buffer.from("NUMPY", "latin1")], 0);
  bytes[6] = version;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(Buffer.from(header, "latin1"), prefix);
  const little = !opts.dtype.startsWith(">");
  for (let i = 0; i < opts.values.length; i++) {
    const at = dataOffset + i * item;
    const v = opts.values[i]!;
    if (item === 1) view.setUint8(at, v);
    else if (item === 4) view.setFloat32(at, v, little);
    else view.setFloat64(at, v, little);
  }
  return { bytes, dataOffset, headerStart: prefix, header };
}

export type IdxType = 0x08 | 0x09 | 0x0b | 0x0c | 0x0d | 0x0e;

/** An IDX file: 0, 0, type, rank, big-endian dims, big-endian data. */
export function idxFile(type: IdxType, dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const item = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type];
  const offset = 4 + 4 * dims.length;
  const bytes = new Uint8Array(offset + values.length * item);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  for (let i = 0; i < values.length; i++) {
    const at = offset + i * item;
    const v = values[i]!;
    if (type === 0x08) view.setUint8(at, v);
    else if (type === 0x09) view.setInt8(at, v);
    else if (type === 0x0b) view.setInt16(at, v, false);
    else if (type === 0x0c) view.setInt32(at, v, false);
    else if (type === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return bytes;
}
