import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CostedOp } from "../ir/costed-ops.js";
import { fmtBytes, fmtCount } from "../diagnostics/format.js";

/** 1e9 float32 values: about 4 GB of weights. */
export const PARAMETER_LIMIT = 1e9;
/** Activations of one training batch. */
export const ACTIVATION_LIMIT = 8 * 2 ** 30;

/**
 * Refuses a model that could not be allocated, before anything is. One
 * diagnostic per limit, at the op that costs the most: a huge layer makes
 * its neighbours large too, and naming each would bury the cause. When both
 * limits point at the same op, only the parameters are reported.
 * Pure arithmetic on the IR's counts: instant even for dense(1e12).
 */
export function checkBudget(ops: readonly CostedOp[], batch: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const weights = (o: CostedOp) => o.parameters + o.state;
  const total = ops.reduce((n, o) => n + weights(o), 0);
  let paramOp: CostedOp | null = null;
  if (total > PARAMETER_LIMIT) {
    paramOp = maxBy(ops, weights);
    out.push(
      diag(
        "AE2601",
        `too many parameters: ${fmtCount(total)} (${fmtBytes(total * 4)} as float32), the limit is ${fmtCount(PARAMETER_LIMIT)} (${fmtBytes(PARAMETER_LIMIT * 4)}); this layer has ${fmtCount(weights(paramOp))}`,
        paramOp.span,
        { hint: "use fewer units, or reduce the input with conv or flatten and a smaller dense layer" },
      ),
    );
  }
  const perExample = ops.reduce((n, o) => n + o.activationBytes, 0);
  if (perExample * batch > ACTIVATION_LIMIT) {
    const op = maxBy(ops, (o) => o.activationBytes);
    if (op !== paramOp) {
      out.push(
        diag(
          "AE2602",
          `activations take ${fmtBytes(perExample * batch)} for a batch of ${batch} (${fmtBytes(perExample)} per example), the limit is ${fmtBytes(ACTIVATION_LIMIT)}; this layer keeps ${fmtBytes(op.activationBytes)} per example`,
          op.span,
          { hint: "use a smaller batch or narrower layers" },
        ),
      );
    }
  }
  return out;
}

function maxBy(ops: readonly CostedOp[], f: (o: CostedOp) => number): CostedOp {
  let best = ops[0]!;
  for (const o of ops) if (f(o) > f(best)) best = o;
  return best;
}
