import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Shape } from "../ir/layers.js";
import type { Expr, InputSection } from "../syntax/ast.js";
import { describeEvaluated, evaluate } from "./evaluate.js";
import { fmtNum } from "../diagnostics/format.js";
import type { LetTable } from "./lets.js";

export interface CheckedInput {
  readonly shape: Shape;
  readonly shapeSpan: Span;
  /** As declared with `in [low, high]`. */
  readonly range: readonly [number, number] | null;
  readonly rangeSpan: Span | null;
}

/** `input: [dims] in [low, high]`: rank 1 or 3, positive integer dims (AE2305), low < high (AE2306). */
export function checkInput(s: InputSection, lets: LetTable, out: Diagnostic[]): CheckedInput | null {
  const ctx = lets.context(out, [], null);
  const dims: number[] = [];
  let ok = true;
  for (const d of s.shape.dims) {
    const e = evaluate(d, ctx);
    if (e === null) ok = false;
    else if (e.kind !== "number" || !Number.isSafeInteger(e.value) || e.value < 1) {
      out.push(diag("AE2305", `an input dimension must be a positive integer, got ${describeEvaluated(e)}`, d.span));
      ok = false;
    } else dims.push(e.value);
  }
  if (ok && dims.length !== 1 && dims.length !== 3) {
    out.push(
      diag("AE2305", `the input must be [features] or [h, w, c], got ${dims.length} dimensions`, s.shape.span, {
        hint: "a grey image is [h, w, 1]",
      }),
    );
    ok = false;
  }
  const range = s.range === null ? null : checkRange(s.range.low, s.range.high, s.range.span, lets, out);
  if (!ok || range === undefined) return null;
  return { shape: dims, shapeSpan: s.shape.span, range, rangeSpan: s.range?.span ?? null };
}

/** undefined: wrong (reported). */
function checkRange(low: Expr, high: Expr, span: Span, lets: LetTable, out: Diagnostic[]): readonly [number, number] | undefined {
  const ctx = lets.context(out, [], null);
  const bounds: number[] = [];
  for (const b of [low, high]) {
    const e = evaluate(b, ctx);
    if (e === null) return undefined;
    if (e.kind !== "number") {
      out.push(diag("AE2306", `a range bound must be a number, got ${describeEvaluated(e)}`, b.span));
      return undefined;
    }
    bounds.push(e.value);
  }
  const [lo, hi] = bounds as [number, number];
  if (!(lo < hi)) {
    out.push(diag("AE2306", `the input range [${fmtNum(lo)}, ${fmtNum(hi)}] is empty: low must be below high`, span));
    return undefined;
  }
  return [lo, hi];
}
