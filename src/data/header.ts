import { readCsvHeader } from "./csv.js";
import { gunzipPrefix, isGzip, readPrefix, type OpenFiles } from "./file-bytes.js";
import { IDX_MAX_HEADER, inDecompressed, parseIdxHeader } from "./idx.js";
import { NPY_MAX_HEADER, parseNpyHeader } from "./npy.js";
import { fail, ok, type Result } from "./result.js";
import { exampleShape, type StoredType } from "./values.js";

export type FileFormat = "npy" | "idx" | "csv";

/** What a data file holds, read from its header alone. */
export interface DataHeader {
  readonly format: FileFormat;
  /** The stored type; CSV is text ("float32" once read). */
  readonly dtype: StoredType | "text";
  readonly count: number;
  /** One example's shape, as the loaded Dataset will have it (see exampleShape). */
  readonly shape: readonly number[];
  /** CSV column names, when the file has a header line. */
  readonly names: readonly string[] | null;
}

/**
 * Cheap: reads the header of an NPY or IDX file (and checks the data length
 * against the file size), or streams once through a CSV file counting lines,
 * so a file's shape can be compared with `input` without loading it.
 * A gzipped IDX file is inflated only as far as its header; its data length
 * is checked when it is loaded. A file in `open` is read from there.
 */
export function readHeader(path: string, format: FileFormat, open?: OpenFiles): Result<DataHeader> {
  return HEADER_READERS[format](path, open);
}

const HEADER_READERS: Record<FileFormat, (path: string, open?: OpenFiles) => Result<DataHeader>> = {
  npy: (path, open) => {
    const prefix = readPrefix(path, NPY_MAX_HEADER + 12, open);
    if (!prefix.ok) return prefix;
    const h = parseNpyHeader(prefix.value.bytes, prefix.value.size, path);
    if (!h.ok) return h;
    return ok({ format: "npy", dtype: h.value.type, count: h.value.dims[0]!, shape: exampleShape(h.value.dims), names: null });
  },
  idx: (path, open) => {
    const prefix = readPrefix(path, 1 << 16, open);
    if (!prefix.ok) return prefix;
    const { bytes, size } = prefix.value;
    let head = bytes;
    let known: number | null = size;
    if (isGzip(bytes)) {
      const inflated = gunzipPrefix(bytes, path, "AE3003");
      if (!inflated.ok) return inflated;
      head = inflated.value.subarray(0, IDX_MAX_HEADER);
      known = null;
    }
    const h = parseIdxHeader(head, known, path);
    if (!h.ok) return known === null ? fail(inDecompressed(h.diagnostic)) : h;
    return ok({ format: "idx", dtype: h.value.type, count: h.value.dims[0]!, shape: exampleShape(h.value.dims), names: null });
  },
  csv: (path, open) => {
    const h = readCsvHeader(path, open);
    if (!h.ok) return h;
    return ok({ format: "csv", dtype: "text", count: h.value.rows, shape: [h.value.columns], names: h.value.names });
  },
};

/** The format a file name suggests: .npy, .csv, or IDX (.idx, MNIST's "-idx3-ubyte", optionally .gz); null if none. */
export function formatFromPath(path: string): FileFormat | null {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".npy")) return "npy";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".idx") || /idx\d-u?byte$/.test(name) || /\.idx\d$/.test(name)) return "idx";
  return null;
}
