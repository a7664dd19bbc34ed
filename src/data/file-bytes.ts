import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import type { Code } from "../diagnostics/codes.js";
import { dataError, ioReason } from "./errors.js";
import { fail, ok, type Result } from "./result.js";

/**
 * The largest data file read whole: 4 GiB, the most a Buffer holds and more
 * than a float32 set this machine's 24 GiB can train on (a CSV's text is
 * further limited by MAX_CSV_BYTES).
 */
export const MAX_DATA_FILE_BYTES = 4 * 1024 ** 3;

/**
 * Files held in memory, by absolute path, read instead of the disk: the
 * unsaved text of a data file open in an editor (the language server's
 * documents). Only the headers `aespec check` reads come from here.
 */
export type OpenFiles = ReadonlyMap<string, Uint8Array>;

/**
 * Opens a file for reading only if it is a regular file: a device
 * (/dev/zero, /dev/urandom: endless), a FIFO (blocks for ever without a
 * writer; opened non-blocking, so the check itself cannot hang), a socket or
 * a folder is refused. Returns the descriptor and the size; close it.
 */
export function openRegular(path: string, what: string): Result<{ fd: number; size: number }> {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    return fail(dataError("AE3001", path, 0, 0, `cannot read ${what}: ${ioReason(err)}`));
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    const kind = st.isDirectory()
      ? "a folder"
      : st.isFIFO()
        ? "a FIFO (a pipe)"
        : st.isCharacterDevice() || st.isBlockDevice()
          ? "a device"
          : st.isSocket()
            ? "a socket"
            : "not a regular file";
    return fail(dataError("AE3001", path, 0, 0, `cannot read ${what}: it is ${kind}, not a regular file`, "give a regular file"));
  }
  return ok({ fd, size: st.size });
}

/** A whole regular file, at most `max` bytes (a larger one is refused before it is read), in bounded chunks. */
export function readWhole(path: string, max = MAX_DATA_FILE_BYTES, what = "data file"): Result<Uint8Array> {
  const opened = openRegular(path, what);
  if (!opened.ok) return opened;
  const { fd, size } = opened.value;
  try {
    if (size > max) return fail(dataError("AE3001", path, 0, 0, `cannot read ${what}: it is ${size} bytes, more than the ${max} this reads`));
    const bytes = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, bytes, got, Math.min(size - got, 1 << 24), got);
      if (n === 0) break;
      got += n;
    }
    return ok(bytes.subarray(0, got));
  } catch (err) {
    return fail(dataError("AE3001", path, 0, 0, `cannot read ${what}: ${ioReason(err)}`));
  } finally {
    closeSync(fd);
  }
}

/** The first `max` bytes of a regular file (or of its open copy) and its full size, reading no more than that. */
export function readPrefix(path: string, max: number, open?: OpenFiles): Result<{ bytes: Uint8Array; size: number }> {
  const held = open?.get(path);
  if (held !== undefined) return ok({ bytes: held.subarray(0, max), size: held.length });
  const opened = openRegular(path, "data file");
  if (!opened.ok) return opened;
  const { fd, size } = opened.value;
  try {
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
    closeSync(fd);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses a whole gzip file; a corrupt or cut-off stream is a diagnostic with `code`. */
export function gunzip(bytes: Uint8Array, path: string, code: Code): Result<Uint8Array> {
  try {
    return ok(gunzipSync(bytes, { maxOutputLength: MAX_DATA_FILE_BYTES }));
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
