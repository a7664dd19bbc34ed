/**
 * What the tfjs target cannot build yet, found before anything is built so
 * the caller can report it (with the IR's span) instead of failing midway.
 */
import type { Span } from "../../../src/diagnostics/span.js";
import type { IrModel } from "../../../src/ir/model.js";

export interface Unsupported {
  /** The IR kind that is missing, e.g. "ladder" before it was built. */
  readonly feature: string;
  readonly message: string;
  readonly span: Span;
}

/** Empty when buildModel can build `ir`. */
export function unsupportedFeatures(_ir: IrModel): Unsupported[] {
  // Every IR bottleneck and layer is built today; kept as the place where a new IR kind would be refused first.
  return [];
}

/** Thrown by buildModel when called on a model that unsupportedFeatures refuses. */
export class UnsupportedError extends Error {
  constructor(readonly problems: readonly Unsupported[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "UnsupportedError";
  }
}
