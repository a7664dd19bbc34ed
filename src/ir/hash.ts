import { createHash } from "node:crypto";
import type { IrModel } from "./model.js";

/**
 * Keys left out of the canonical form: spans (where things were written is
 * not what they are), the hash itself, and the absolute data path (moving a
 * project folder does not change the model; the path as written is kept).
 */
const IGNORED = new Set(["span", "hash", "resolvedPath"]);

/** JSON with sorted keys and without the ignored ones: equal models give equal text. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

/** One pass appending to `out` (the IR of a model is a few thousand nodes: no intermediate strings or entry arrays per node). */
function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== "object") {
    out.push(JSON.stringify(value) ?? "");
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      write(value[i], out);
    }
    out.push("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push("{");
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined || IGNORED.has(k)) continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(k), ":");
    write(v, out);
  }
  out.push("}");
}

/** sha256 (hex) of the model's canonical form. */
export function modelHash(model: Omit<IrModel, "hash">): string {
  return createHash("sha256").update(canonicalJson(model)).digest("hex");
}

/**
 * The model with its hash, computed when first read: an editor checks the
 * file on every change and never reads it, a run reads it once. Enumerable, so
 * the model's JSON (ir.json) holds it where it always stood, last.
 */
export function withHash(model: Omit<IrModel, "hash">): IrModel {
  let hash: string | undefined;
  return Object.defineProperty({ ...model }, "hash", { enumerable: true, get: () => (hash ??= modelHash(model)) }) as IrModel;
}
