/**
 * What the tfjs target cannot build yet, found before anything is built so
 * the caller can report it (with the IR's span) instead of failing midway.
 */
import type { Span } from "../../../src/diagnostics/span.js";
import type { IrModel } from "../../../src/ir/model.js";

export interface Unsupported {
  /** The IR kind that is missing, e.g. "ladder". */
  readonly feature: string;
  readonly message: string;
  readonly span: Span;
}

/** Empty when buildModel can build `ir`. */
export function unsupportedFeatures(ir: IrModel): Unsupported[] {
  const out: Unsupported[] = [];
  if (ir.bottleneck.kind === "ladder") {
    out.push({ feature: "ladder", message: "the ladder bottleneck is not supported by the TensorFlow.js target yet", span: ir.bottleneck.span });
  }
  return out;
}

/** Thrown by buildModel when called on a model that unsupportedFeatures refuses. */
export class UnsupportedError extends Error {
  constructor(readonly problems: readonly Unsupported[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "UnsupportedError";
  }
}
