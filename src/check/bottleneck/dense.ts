import type { Span } from "../../diagnostics/span.js";
import type { Dense } from "../../ir/layers.js";

/** A dense op from `inWidth` features to `units`, for the projections a bottleneck owns. */
export function denseOp(inWidth: number, units: number, span: Span): Dense {
  return {
    kind: "dense",
    units,
    inShape: [inWidth],
    outShape: [units],
    parameters: inWidth * units + units,
    state: 0,
    activationBytes: 4 * units,
    span,
  };
}
