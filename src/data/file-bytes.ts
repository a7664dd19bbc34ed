import { closeSync, fstatSync, openSync, readSync, readFileSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import type { Code } from "../diagnostics/codes.js";
import { dataError, ioReason } from "./errors.js";
import { fail, ok, type Result } from "./result.js";

export function readWhole(path: string): Result<Uint8Array> {
  try {
    return ok(readFileSync(path));
  } catch (err) {
    return fail(dataError("AE3001", path, 0, 0, `cannot read data file: ${ioReason(err)}`));
  }
}

/** The first `max` bytes of a file and its full size, reading no more than that. */
export function readPrefix(path: string, max: number): Result<{ bytes: Uint8Array; size: number }> {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(Math.min(size, max));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return ok({ bytes: bytes.subarray(0, got), size });
  } catch (err) {
    return fail(dataError("AE3001", path, 0, 0, `cannot read data file: ${ioReason(err)}`));
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses a whole gzip file; a corrupt or cut-off stream is a diagnostic with `code`. */
export function gunzip(bytes: Uint8Array, path: string, code: Code): Result<Uint8Array> {
  try {
    return ok(gunzipSync(bytes));
  } catch (err) {
    const why = (err as Error).message ?? String(err);
    return fail(dataError(code, path, 0, bytes.length, `corrupt gzip stream: ${why}`));
  }
}

/**
 * As much of the decompressed start of a gzip stream as a prefix of it gives,
 * for reading a header without inflating the whole file.
 */
export function gunzipPrefix(prefix: Uint8Array, path: string, code: Code): Result<Uint8Array> {
  try {
    return ok(gunzipSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH }));
  } catch (err) {
    const why = (err as Error).message ?? String(err);
    return fail(dataError(code, path, 0, prefix.length, `corrupt gzip stream: ${why}`));
  }
}
