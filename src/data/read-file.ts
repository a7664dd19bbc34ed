import { decodeCsv, MAX_CSV_BYTES } from "./csv.js";
import type { Dataset } from "./dataset.js";
import { isGzip, readWhole } from "./file-bytes.js";
import { readHeader, type FileFormat } from "./header.js";
import { decodeIdx, idxBytes, inDecompressed } from "./idx.js";
import { decodeNpy } from "./npy.js";
import { fail, type Result } from "./result.js";

type FileReader = (path: string) => Result<Dataset>;

/** One reader per format; each validates the header (readHeader) before reading the data. */
const READERS: Record<FileFormat, FileReader> = {
  npy: (path) => {
    const header = readHeader(path, "npy");
    if (!header.ok) return header;
    const bytes = readWhole(path);
    return bytes.ok ? decodeNpy(bytes.value, path) : bytes;
  },
  idx: (path) => {
    const header = readHeader(path, "idx");
    if (!header.ok) return header;
    const raw = readWhole(path);
    if (!raw.ok) return raw;
    const bytes = idxBytes(raw.value, path);
    if (!bytes.ok) return bytes;
    const ds = decodeIdx(bytes.value, path);
    return ds.ok || !isGzip(raw.value) ? ds : fail(inDecompressed(ds.diagnostic));
  },
  csv: (path) => {
    const header = readHeader(path, "csv");
    if (!header.ok) return header;
    const bytes = readWhole(path, MAX_CSV_BYTES);
    return bytes.ok ? decodeCsv(new TextDecoder().decode(bytes.value), path) : bytes;
  },
};

/** A data file as a Dataset: all of it, examples along the first axis (or one per CSV line). */
export function readDataFile(path: string, format: FileFormat): Result<Dataset> {
  return READERS[format](path);
}
