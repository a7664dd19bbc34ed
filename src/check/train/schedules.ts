import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { LrSchedule, Optimizer } from "../../ir/train.js";
import { fmtNum } from "../../diagnostics/format.js";
import type { TypedCall } from "../typecheck.js";
import type { ScheduleName } from "../vocabulary/train.js";

/** `warmup(epochs: E)` is the constant schedule after a warm-up of E epochs: the IR has one form for it. */
export const SCHEDULE_BUILDERS: { readonly [K in ScheduleName]: (c: TypedCall) => LrSchedule } = {
  constant: (c) => ({ kind: "constant", warmup: c.args.num("warmup"), span: c.span }),
  warmup: (c) => ({ kind: "constant", warmup: c.args.num("epochs"), span: c.span }),
  step: (c) => ({ kind: "step", every: c.args.num("every"), factor: c.args.num("factor"), warmup: c.args.num("warmup"), span: c.span }),
  cosine: (c) => ({ kind: "cosine", min: c.args.num("min"), warmup: c.args.num("warmup"), span: c.span }),
};

/**
 * What a schedule cannot mean with the optimizer and the epochs it is given:
 * a cosine whose floor is not below the rate it starts from (error), a
 * warm-up that lasts the whole run (warning: the run ends before it trains at `lr`).
 */
export function scheduleProblems(s: LrSchedule, optimizer: Optimizer, epochs: number, epochsSpan: Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (s.kind === "cosine" && s.min >= optimizer.lr) {
    out.push(
      diag(
        "AE2111",
        `the cosine schedule's min (${fmtNum(s.min)}) is not below the optimizer's lr (${fmtNum(optimizer.lr)}): the rate would not decay`,
        s.span,
        {
          related: [{ span: optimizer.span, message: `lr ${fmtNum(optimizer.lr)} is set here` }],
          hint: `a min below ${fmtNum(optimizer.lr)}, e.g. min: ${fmtNum(optimizer.lr / 100)}`,
        },
      ),
    );
  }
  if (s.warmup >= epochs && s.span !== null) {
    out.push(
      diag(
        "AE2706",
        `the learning-rate warm-up lasts ${fmtNum(s.warmup)} epochs of a run of ${epochs}: the run ends before the rate has run at the optimizer's lr`,
        s.span,
        {
          related: epochsSpan !== undefined ? [{ span: epochsSpan, message: `${epochs} epochs` }] : [],
          hint: `a warmup below ${epochs} epochs (a few percent of the run is usual)`,
        },
      ),
    );
  }
  return out;
}
