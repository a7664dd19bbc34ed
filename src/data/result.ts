import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Bad input is a value, not an exception: every reader returns one of these. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(diagnostic: Diagnostic): Result<T> {
  return { ok: false, diagnostic };
}
