import type { Span } from "../../diagnostics/span.js";
import { signatureOf } from "../vocabulary/index.js";
import type { BoundCall } from "./bound.js";

/**
 * The loss of a model without a `loss` section: reconstruction(mse), plus
 * kl() for a gaussian or ladder bottleneck and commitment() for vq, every
 * argument at its default. The terms point at `at` (the model's name).
 */
export function defaultLossTerms(bottleneck: string | null, at: Span): BoundCall[] {
  const terms = [term("reconstruction", at, new Map([["likelihood", { kind: "word", word: "mse", span: at, label: null }]]))];
  if (bottleneck === "gaussian" || bottleneck === "ladder") terms.push(term("kl", at));
  if (bottleneck === "vq") terms.push(term("commitment", at));
  return terms;
}

function term(name: string, at: Span, args: BoundCall["args"] = new Map()): BoundCall {
  const signature = signatureOf("loss", name);
  if (signature === undefined) throw new Error(`internal: no loss term '${name}'`);
  return { vocab: "loss", name, signature, nameSpan: at, span: at, args, block: null, label: null };
}
