import { diag } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { LossTerm } from "../../ir/losses.js";
import type { TypedCall } from "../typecheck.js";
import type { LossName } from "../vocabulary/losses.js";
import type { LossContext } from "./context.js";
import { LOSS_RULES } from "./terms.js";

/**
 * The loss section as a whole: each term at most once (AE2406) and exactly
 * one reconstruction (AE2407), then each term's own rule. `complete` is false
 * when some term failed to bind or type: then a missing reconstruction may
 * be that term, and is not reported.
 */
export function checkLoss(terms: readonly TypedCall[], keyword: Span | null, at: Span, complete: boolean, ctx: LossContext): LossTerm[] | null {
  const seen = new Map<string, TypedCall>();
  let ok = true;
  const unique: TypedCall[] = [];
  for (const t of terms) {
    const first = seen.get(t.name);
    if (first !== undefined) {
      ctx.out.push(diag("AE2406", `loss term '${t.name}' appears twice`, t.nameSpan, { related: [{ span: first.nameSpan, message: "first one here" }] }));
      ok = false;
      continue;
    }
    seen.set(t.name, t);
    unique.push(t);
  }
  if (complete && !seen.has("reconstruction")) {
    ctx.out.push(diag("AE2407", "the loss has no reconstruction term", keyword ?? at, { hint: "add reconstruction(mse) (or bernoulli, gaussian)" }));
    ok = false;
  }
  const built: LossTerm[] = [];
  for (const t of unique) {
    const term = LOSS_RULES[t.name as LossName](t, ctx);
    if (term === null) ok = false;
    else built.push(term);
  }
  return ok ? built : null;
}
