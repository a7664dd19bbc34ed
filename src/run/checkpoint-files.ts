/**
 * The binary files of a checkpoint folder as every target reads them: each
 * checked against the size and SHA-256 its checkpoint.json lists (format
 * version 2; version 1 had no checksums). Plain bytes, no tensor library.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ioReason } from "../data/errors.js";

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The size and checksum checkpoint.json records for each binary file. */
export function fileChecks(binaries: Readonly<Record<string, Uint8Array>>): Record<string, { bytes: number; sha256: string }> {
  return Object.fromEntries(Object.entries(binaries).map(([name, bytes]) => [name, { bytes: bytes.byteLength, sha256: sha256(bytes) }]));
}

/** The bytes of `file` in `folder`, or a sentence saying why they cannot be trusted. */
export function verifiedBinary(folder: string, file: string, manifest: unknown): Buffer | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(folder, file));
  } catch (e) {
    return `its checkpoint's ${file} cannot be read: ${ioReason(e)}`;
  }
  const m = manifest as { version?: unknown; files?: Record<string, { bytes?: unknown; sha256?: unknown } | undefined> } | null;
  if (m?.version === 1) return bytes;
  const entry = m?.files?.[file];
  if (entry === undefined || typeof entry.bytes !== "number" || typeof entry.sha256 !== "string")
    return `its checkpoint.json gives no size and checksum for ${file}`;
  if (bytes.byteLength !== entry.bytes) return `its checkpoint's ${file} is damaged: ${bytes.byteLength} bytes, its checkpoint.json says ${entry.bytes}`;
  if (sha256(bytes) !== entry.sha256) return `its checkpoint's ${file} is damaged: its checksum does not match its checkpoint.json`;
  return bytes;
}
