/**
 * Writing float32 arrays as NPY files (format version 1.0, '<f4', C order),
 * readable by numpy.load and by this module's reader.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { diag } from "../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "./result.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]; // \x93NUMPY, version 1.0
/** The spec pads magic + length + header to a multiple of 64 bytes so the data is aligned. */
const ALIGN = 64;

/** The bytes of an NPY file holding `values` with shape `shape` (the product of shape must be values.length). */
export function npyBytes(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`internal: ${values.length} values do not make shape [${shape.join(", ")}]`);
  }
  // A one-element tuple needs its trailing comma in Python syntax.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
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
  for (let i = 0; i < values.length; i++) view.setFloat32(total + 4 * i, values[i]!, true);
  return out;
}

/**
 * Writes an NPY file through a temporary file in the same folder and a
 * rename, so a reader never sees half of it. The folder must exist.
 */
export function writeNpyFile(file: string, values: Float32Array, shape: readonly number[]): Result<void> {
  const at = { file, start: 0, end: 0 };
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return fail(diag("AE3205", `cannot write '${file}': the folder '${dirname(file)}' does not exist`, at, { hint: "create the folder first, or give another path" }));
  }
  if (existsSync(file) && statSync(file).isDirectory()) return fail(diag("AE3205", `cannot write '${file}': it is a folder`, at));
  const tmp = join(folder, `.${basename(file)}.tmp-${process.pid}`);
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, npyBytes(values, shape), { flag: "wx" });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    return fail(diag("AE3205", `cannot write '${file}': ${(e as Error).message}`, at));
  }
  return ok(undefined);
}
