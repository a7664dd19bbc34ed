import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Shape } from "../ir/layers.js";
import type { Corruption } from "../ir/losses.js";
import { fmtShape } from "../diagnostics/format.js";
import type { TypedCall } from "./typecheck.js";
import type { CorruptionName } from "./vocabulary/bottlenecks.js";

export type CorruptionResult = { readonly corruption: Corruption } | { readonly error: Diagnostic };
/** Built only once the input shape is known. */
type Builder = (c: TypedCall, input: Shape) => CorruptionResult;

/** Corruptions; the source names differ from the IR's where a word means two things (`gaussian`). */
export const CORRUPTION_BUILDERS: { readonly [K in CorruptionName]: Builder } = {
  gaussian: (c) => ({ corruption: { kind: "gaussian_noise", sigma: c.args.num("sigma"), span: c.span } }),
  dropout: (c) => ({ corruption: { kind: "dropout_noise", rate: c.args.num("p"), span: c.span } }),
  saltpepper: (c) => ({ corruption: { kind: "saltpepper", rate: c.args.num("p"), span: c.span } }),
  mask: buildMask,
};

/** A masked autoencoder's patches: `patch` must tile h and w; at least one patch hidden and one shown. */
function buildMask(c: TypedCall, input: Shape): CorruptionResult {
  const patch = c.args.num("patch");
  const ratio = c.args.num("ratio");
  const fail = (message: string, hint?: string): CorruptionResult => ({
    error: diag("AE2308", message, c.span, hint !== undefined ? { hint } : {}),
  });
  if (input.length !== 3) return fail(`mask needs an [h, w, c] input, the input is ${fmtShape(input)}`);
  const [h, w] = input as [number, number, number];
  if (h % patch !== 0 || w % patch !== 0) {
    return fail(`mask patch ${patch} does not divide the input's ${h} x ${w}`, `use a patch that divides both, e.g. ${commonDivisorNear(h, w, patch)}`);
  }
  const patches = (h / patch) * (w / patch);
  const hidden = Math.round(ratio * patches);
  if (hidden < 1 || hidden >= patches) {
    return fail(
      `mask(patch: ${patch}, ratio: ${ratio}) hides ${hidden} of ${patches} patches; it must hide at least one and show at least one`,
      patches < 2 ? "use a smaller patch" : "change the ratio",
    );
  }
  return { corruption: { kind: "mask", patch, ratio, patches, hidden, span: c.span } };
}

function commonDivisorNear(h: number, w: number, near: number): number {
  let best = 1;
  for (let d = 1; d <= Math.min(h, w, 4 * near, 4096); d++) if (h % d === 0 && w % d === 0 && Math.abs(d - near) <= Math.abs(best - near)) best = d;
  return best;
}
