import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDataset, type Dataset } from "./dataset.js";
import { dataError } from "./errors.js";
import { gunzip, isGzip } from "./file-bytes.js";
import { decodeValues } from "./npy.js";
import { fail, ok, type Result } from "./result.js";
import { BYTES_PER, byteLength, checkFinite, exampleShape, type StoredType } from "./values.js";

/**
 * IDX files (the MNIST format): two zero bytes, a type byte, the number of
 * dimensions, each dimension as a big-endian 32-bit integer, then big-endian
 * data. Unsigned bytes are divided by 255 (images in [0, 1]); the other
 * types are read as they are. A gzip-compressed file (recognised by its
 * magic bytes, whatever its name) is decompressed first.
 */
export interface IdxHeader {
  readonly type: StoredType;
  readonly dims: readonly number[];
  readonly dataOffset: number;
  readonly dataBytes: number;
}

const TYPES: Record<number, StoredType> = { 0x08: "uint8", 0x09: "int8", 0x0b: "int16", 0x0c: "int32", 0x0d: "float32", 0x0e: "float64" };

/** The longest an IDX header can be: 4 bytes of magic and 255 dimensions. */
export const IDX_MAX_HEADER = 4 + 4 * 255;

/**
 * Validates everything up to the data. `head` holds at least the first bytes
 * of the (decompressed) file; `size` is the (decompressed) length, or null
 * when unknown (then the data length is not checked).
 */
export function parseIdxHeader(head: Uint8Array, size: number | null, file: string): Result<IdxHeader> {
  const err = (start: number, end: number, msg: string, hint?: string) => fail<never>(dataError("AE3003", file, start, end, msg, hint));
  const known = size ?? head.length;
  if (head.length < 4) return err(known, known, `IDX file truncated at byte ${head.length}: the 4-byte magic number is incomplete`);
  const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const type = TYPES[head[2]!];
  const rank = head[3]!;
  if (head[0] !== 0 || head[1] !== 0 || type === undefined || rank === 0) {
    return err(
      0,
      4,
      `not an IDX file: magic number 0x${hex(magic)} at byte 0 (expected 0x000008nn for unsigned bytes, or type 0x09, 0x0B, 0x0C, 0x0D, 0x0E, with 1 to 255 dimensions)`,
      "IDX files start with two zero bytes, a type byte and the number of dimensions",
    );
  }
  const dataOffset = 4 + 4 * rank;
  if (head.length < dataOffset) {
    return err(head.length, head.length, `IDX file truncated at byte ${head.length}: ${rank} dimensions need a header of ${dataOffset} bytes`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) {
    const d = view.getUint32(4 + 4 * k, false);
    if (d === 0) return err(4 + 4 * k, 8 + 4 * k, `IDX dimension ${k} at byte ${4 + 4 * k} is 0: there must be at least one example of at least one value`);
    dims.push(d);
  }
  if (size === null) return ok({ type, dims, dataOffset, dataBytes: byteLength(dims, BYTES_PER[type], Infinity)! });
  const available = size - dataOffset;
  const dataBytes = byteLength(dims, BYTES_PER[type], available);
  const shown = `[${dims.join(", ")}] of ${type}`;
  if (dataBytes === null || dataBytes > available) {
    const total = byteLength(dims, BYTES_PER[type], Number.MAX_SAFE_INTEGER);
    const need = total === null ? "more than 2^53" : `${total}`;
    return err(size, size, `IDX data truncated: dimensions ${shown} need ${need} bytes after the header, the file has ${available}`);
  }
  if (dataBytes < available) {
    return err(
      dataOffset + dataBytes,
      size,
      `IDX file has ${available - dataBytes} bytes after its data: dimensions ${shown} need ${dataBytes} bytes after the header, the file has ${available}`,
    );
  }
  return ok({ type, dims, dataOffset, dataBytes });
}

/** The decompressed bytes of an IDX file's raw contents (gzip or not). */
export function idxBytes(raw: Uint8Array, file: string): Result<Uint8Array> {
  return isGzip(raw) ? gunzip(raw, file, "AE3003") : ok(raw);
}

/** An IDX file's (decompressed) bytes as a Dataset: examples along the first axis. */
export function decodeIdx(bytes: Uint8Array, file: string): Result<Dataset> {
  const header = parseIdxHeader(bytes, bytes.length, file);
  if (!header.ok) return header;
  const h = header.value;
  const count = h.dims[0]!;
  const x = decodeValues(bytes, h.dataOffset, h.dataBytes / BYTES_PER[h.type], h.type, false);
  if (h.type === "float32" || h.type === "float64") {
    const item = BYTES_PER[h.type];
    // Offsets are into the decompressed data for a gzipped file.
    const finite = checkFinite(x, x.length / count, file, (i) => [h.dataOffset + i * item, h.dataOffset + (i + 1) * item]);
    if (!finite.ok) return finite;
  }
  return ok(makeDataset({ x, shape: exampleShape(h.dims), count, ...(h.type === "uint8" ? { range: [0, 1] as const } : {}) }));
}

/** Integer class labels from a rank-1 IDX file of an integer type, read as stored (not scaled). */
export function decodeIdxLabels(bytes: Uint8Array, file: string): Result<Int32Array> {
  const header = parseIdxHeader(bytes, bytes.length, file);
  if (!header.ok) return header;
  const h = header.value;
  if (h.dims.length !== 1 || h.type === "float32" || h.type === "float64") {
    return fail(dataError("AE3003", file, 0, 4, `an IDX label file must hold one integer per example; this one holds [${h.dims.join(", ")}] of ${h.type}`));
  }
  const n = h.dims[0]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, h.dataBytes);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = h.type === "uint8" ? view.getUint8(i) : h.type === "int8" ? view.getInt8(i) : h.type === "int16" ? view.getInt16(2 * i) : view.getInt32(4 * i);
  }
  return ok(out);
}

/** Offsets into a gzipped file's decompressed data say so. */
export function inDecompressed(d: Diagnostic): Diagnostic {
  return { ...d, message: `${d.message} (byte offsets in the decompressed data)` };
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, "0");
}
