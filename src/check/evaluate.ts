import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Call, Expr, Ident, Value } from "../syntax/ast.js";
import { fmtNum } from "../diagnostics/format.js";
import { suggestion } from "./suggest.js";
import { ALL_WORD_SET } from "./vocabulary/index.js";

/**
 * A value after let substitution and arithmetic. Names that are not lets stay
 * words (`relu`, `same`, `true`); calls with parentheses stay calls; what they
 * mean is decided by the slot they fill (see typecheck.ts).
 */
export type Evaluated =
  | { readonly kind: "number"; readonly value: number; readonly span: Span }
  | { readonly kind: "word"; readonly name: string; readonly span: Span }
  | { readonly kind: "call"; readonly call: Call; readonly span: Span }
  | { readonly kind: "shape"; readonly dims: readonly Evaluated[]; readonly span: Span }
  | { readonly kind: "string"; readonly value: string; readonly span: Span };

/** What a let stands for: a number, or the word or call it names (interpreted where it is used). */
export type LetValue = { readonly kind: "number"; readonly value: number } | { readonly kind: "expr"; readonly expr: Call };

export interface ExprContext {
  /** A let's value; null if that let is broken (already reported); undefined if the name is no let. */
  readonly resolveLet: (ref: Ident) => LetValue | null | undefined;
  readonly letNames: () => readonly string[];
  /** The words that make sense where this value stands, for "did you mean". */
  readonly words: readonly string[];
  readonly out: Diagnostic[];
  /** Prefix for messages about a `--set` value ("--set train.batch"). */
  readonly label: string | null;
}

const prefix = (ctx: ExprContext) => (ctx.label !== null ? `${ctx.label}: ` : "");

/** Evaluates a value; null after reporting why it has none (or silently, for a broken let). */
export function evaluate(value: Value, ctx: ExprContext): Evaluated | null {
  switch (value.kind) {
    case "String":
      return { kind: "string", value: value.value, span: value.span };
    case "Shape": {
      const dims: Evaluated[] = [];
      let ok = true;
      for (const d of value.dims) {
        const e = evaluate(d, ctx);
        if (e === null) ok = false;
        else dims.push(e);
      }
      return ok ? { kind: "shape", dims, span: value.span } : null;
    }
    case "Call":
      return name(value, ctx);
    case "Number":
    case "Neg":
    case "Binary":
      return arithmetic(value, ctx);
  }
}

function name(c: Call, ctx: ExprContext): Evaluated | null {
  if (c.args !== null) return { kind: "call", call: c, span: c.span };
  const v = ctx.resolveLet(c.callee);
  if (v === null) return null;
  if (v !== undefined) {
    if (v.kind === "number") return { kind: "number", value: v.value, span: c.span };
    const inner = evaluate(v.expr, ctx);
    // Point at the reference, where the value is used, not at the let.
    return inner === null ? null : { ...inner, span: c.span };
  }
  if (ALL_WORD_SET.has(c.callee.name)) return { kind: "word", name: c.callee.name, span: c.span };
  const close = suggestion(c.callee.name, [...ctx.letNames(), ...ctx.words], c.callee.span);
  ctx.out.push(diag("AE2003", `${prefix(ctx)}unknown name '${c.callee.name}'`, c.callee.span, close ?? {}));
  return null;
}

/** Numbers, negation and the four operations; anything else inside arithmetic is AE2011. */
function arithmetic(e: Expr, ctx: ExprContext): Evaluated | null {
  const n = numeric(e, ctx);
  return n === null ? null : { kind: "number", value: n, span: e.span };
}

function numeric(e: Expr, ctx: ExprContext): number | null {
  switch (e.kind) {
    case "Number":
      return finite(e.value, e.span, ctx);
    case "Neg": {
      const v = numeric(e.operand, ctx);
      return v === null ? null : -v;
    }
    case "Binary": {
      const a = numeric(e.left, ctx);
      const b = numeric(e.right, ctx);
      if (a === null || b === null) return null;
      if (e.op === "/" && b === 0) {
        ctx.out.push(diag("AE2010", `${prefix(ctx)}division by zero`, e.span));
        return null;
      }
      const r = e.op === "+" ? a + b : e.op === "-" ? a - b : e.op === "*" ? a * b : a / b;
      return finite(r, e.span, ctx);
    }
    case "Call": {
      const v = name(e, ctx);
      return v === null ? null : v.kind === "number" ? v.value : notANumber(v, ctx);
    }
  }
}

function notANumber(v: Evaluated, ctx: ExprContext): null {
  ctx.out.push(diag("AE2011", `${prefix(ctx)}arithmetic needs numbers, got ${describeEvaluated(v)}`, v.span));
  return null;
}

function finite(x: number, at: Span, ctx: ExprContext): number | null {
  if (Number.isFinite(x)) return x;
  ctx.out.push(diag("AE2010", `${prefix(ctx)}the result is not a finite number`, at));
  return null;
}

/** How a value reads in a message: 170.67, 'relu', adam(...), a shape, "x.npy". */
export function describeEvaluated(v: Evaluated): string {
  switch (v.kind) {
    case "number":
      return fmtNum(v.value);
    case "word":
      return `'${v.name}'`;
    case "call":
      return `${v.call.callee.name}(...)`;
    case "shape":
      return "a shape";
    case "string":
      return JSON.stringify(v.value);
  }
}
