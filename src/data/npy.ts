import { endianness } from "node:os";
import { makeDataset, type Dataset } from "./dataset.js";
import { dataError } from "./errors.js";
import { parseNpyDict } from "./npy-header.js";
import { fail, ok, type Result } from "./result.js";
import { BYTES_PER, byteLength, checkFinite, exampleShape, type StoredType } from "./values.js";

/**
 * NPY files (numpy.save): versions 1.0, 2.0 and 3.0; dtypes float32 and
 * float64 of either byte order and uint8; C order only. uint8 values are
 * divided by 255 (images in [0, 1]); floats are read as they are.
 */
export interface NpyHeader {
  readonly version: string;
  readonly type: StoredType;
  readonly littleEndian: boolean;
  /** The stored shape, examples first. */
  readonly dims: readonly number[];
  readonly dataOffset: number;
  readonly dataBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself refuses headers over 10000 bytes unless told otherwise; this is generous. */
export const NPY_MAX_HEADER = 1 << 20;

const DESCRS: Record<string, { type: StoredType; littleEndian: boolean }> = {
  "<f4": { type: "float32", littleEndian: true },
  ">f4": { type: "float32", littleEndian: false },
  "<f8": { type: "float64", littleEndian: true },
  ">f8": { type: "float64", littleEndian: false },
  "|u1": { type: "uint8", littleEndian: true },
};

/**
 * Validates everything up to the data: `head` holds at least the file's first
 * bytes (all of the header), `size` is the whole file's length.
 */
export function parseNpyHeader(head: Uint8Array, size: number, file: string): Result<NpyHeader> {
  const err = (start: number, end: number, msg: string, hint?: string) => fail<never>(dataError("AE3002", file, start, end, msg, hint));
  for (let k = 0; k < MAGIC.length; k++) {
    if (head[k] !== MAGIC[k]) {
      return err(0, 6, `not an NPY file: expected the magic string "\\x93NUMPY" at byte 0`, "NPY files are written by numpy.save");
    }
  }
  if (head.length < 8) return err(6, size, `NPY file truncated at byte ${size}: the version is missing`);
  const major = head[6]!;
  const minor = head[7]!;
  if (major < 1 || major > 3) return err(6, 8, `unsupported NPY version ${major}.${minor} at byte 6 (versions 1.0, 2.0 and 3.0 are read)`);
  const lenBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lenBytes;
  if (head.length < headerStart) return err(8, size, `NPY file truncated at byte ${size}: the header length is missing`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > NPY_MAX_HEADER)
    return err(8, headerStart, `NPY header length ${headerLen} at byte 8 is implausibly large (at most ${NPY_MAX_HEADER} bytes are read)`);
  const dataOffset = headerStart + headerLen;
  if (dataOffset > size) return err(size, size, `NPY file truncated in its header: the header should end at byte ${dataOffset}, the file ends at byte ${size}`);
  if (head.length < dataOffset) throw new Error("internal: NPY header not fully read");
  const text = latin1(head.subarray(headerStart, dataOffset));
  const dict = parseNpyDict(text, headerStart, file);
  if (!dict.ok) return dict;
  const { descr, fortranOrder, shape, at } = dict.value;
  const kind = DESCRS[descr];
  if (kind === undefined) {
    return err(
      at.descr,
      at.descr + descr.length + 2,
      `unsupported NPY dtype '${descr}' at byte ${at.descr} (expected '<f4', '<f8', '>f4', '>f8' or '|u1')`,
      "convert with x.astype(numpy.float32) before saving",
    );
  }
  if (fortranOrder) {
    return err(
      at.fortran_order,
      at.fortran_order + 4,
      `NPY data in Fortran order at byte ${at.fortran_order}: only C order is read`,
      "save numpy.ascontiguousarray(x) instead",
    );
  }
  if (shape.length === 0) return err(at.shape, at.shape + 2, `NPY shape () at byte ${at.shape} holds a single number; the first axis must count the examples`);
  const zero = shape.findIndex((d) => d === 0);
  if (zero >= 0)
    return err(
      at.shape,
      at.shape + 1,
      `NPY shape (${shape.join(", ")}) at byte ${at.shape} has an empty axis ${zero}: there must be at least one example of at least one value`,
    );
  const available = size - dataOffset;
  const dataBytes = byteLength(shape, BYTES_PER[kind.type], available);
  if (dataBytes === null || dataBytes > available) {
    const total = byteLength(shape, BYTES_PER[kind.type], Number.MAX_SAFE_INTEGER);
    const need = total === null ? "more than 2^53" : `${total}`;
    return err(size, size, `NPY data truncated: shape (${shape.join(", ")}) of '${descr}' needs ${need} bytes after the header, the file has ${available}`);
  }
  if (dataBytes < available) {
    return err(
      dataOffset + dataBytes,
      size,
      `NPY file has ${available - dataBytes} bytes after its data: shape (${shape.join(", ")}) of '${descr}' needs ${dataBytes} bytes after the header, the file has ${available}`,
    );
  }
  return ok({ version: `${major}.${minor}`, type: kind.type, littleEndian: kind.littleEndian, dims: shape, dataOffset, dataBytes });
}

/** Reads a whole NPY file's bytes into a Dataset. */
export function decodeNpy(bytes: Uint8Array, file: string): Result<Dataset> {
  const header = parseNpyHeader(bytes, bytes.length, file);
  if (!header.ok) return header;
  const h = header.value;
  const x = decodeValues(bytes, h.dataOffset, h.dataBytes / BYTES_PER[h.type], h.type, h.littleEndian);
  const count = h.dims[0]!;
  const per = x.length / count;
  if (h.type !== "uint8") {
    const item = BYTES_PER[h.type];
    const finite = checkFinite(x, per, file, (i) => [h.dataOffset + i * item, h.dataOffset + (i + 1) * item]);
    if (!finite.ok) return finite;
  }
  return ok(makeDataset({ x, shape: exampleShape(h.dims), count, ...(h.type === "uint8" ? { range: [0, 1] as const } : {}) }));
}

const HOST_LITTLE = endianness() === "LE";
const BYTE_SCALE = new Float32Array(256).map((_, i) => i / 255);

/**
 * Values of a stored type as float32. uint8 is divided by 255; other integer
 * types are converted as they are. Shared with IDX, whose data is big-endian.
 */
export function decodeValues(bytes: Uint8Array, offset: number, n: number, type: StoredType, littleEndian: boolean): Float32Array {
  const out = new Float32Array(n);
  if (type === "uint8") {
    for (let i = 0; i < n; i++) out[i] = BYTE_SCALE[bytes[offset + i]!]!;
    return out;
  }
  if (type === "float32" && littleEndian === HOST_LITTLE) {
    // One copy, whatever the alignment of the source.
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * n));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * BYTES_PER[type]);
  const le = littleEndian;
  switch (type) {
    case "int8":
      for (let i = 0; i < n; i++) out[i] = view.getInt8(i);
      break;
    case "int16":
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, le);
      break;
    case "int32":
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, le);
      break;
    case "float32":
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, le);
      break;
    case "float64":
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, le);
      break;
  }
  return out;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
