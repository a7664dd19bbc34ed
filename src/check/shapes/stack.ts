import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Layer, Shape } from "../../ir/layers.js";
import type { StackTrace } from "../partial.js";
import type { TypedCall } from "../typecheck.js";
import type { LayerName } from "../vocabulary/layers.js";
import { LAYER_BUILDERS } from "./layers.js";

export interface Stack {
  readonly layers: readonly Layer[];
  readonly outShape: Shape;
  /** The last op that makes a shape (dense, conv, deconv, flatten, reshape); null if none did. */
  readonly producer: Span | null;
}

/**
 * Runs layers one after another from `inShape`. The first shape error stops
 * it: what follows has no input shape, and reporting on it would only echo
 * the first mistake.
 */
export function runLayers(calls: readonly TypedCall[], inShape: Shape, out: Diagnostic[], trace?: StackTrace): Stack | null {
  const layers: Layer[] = [];
  let shape = inShape;
  let producer: Span | null = null;
  for (const c of calls) {
    const r = LAYER_BUILDERS[c.name as LayerName](c, shape);
    if ("error" in r) {
      out.push(r.error);
      if (trace !== undefined) trace.failed = c.span;
      return null;
    }
    if (MAKES_SHAPE.has(r.layer.kind)) producer = c.span;
    layers.push(r.layer);
    trace?.layers.push(r.layer);
    shape = r.layer.outShape;
  }
  return { layers, outShape: shape, producer };
}

const MAKES_SHAPE: ReadonlySet<Layer["kind"]> = new Set(["dense", "conv", "deconv", "flatten", "reshape"]);

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
