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
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => !IGNORED.has(k) && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** sha256 (hex) of the model's canonical form. */
export function modelHash(model: Omit<IrModel, "hash">): string {
  return createHash("sha256").update(canonicalJson(model)).digest("hex");
}
