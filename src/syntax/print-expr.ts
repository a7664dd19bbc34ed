import type { Arg, BinaryOp, Call, Expr, Value } from "./ast.js";

/**
 * One-line forms of expressions, values and calls. Used by the formatter and
 * by diagnostics and hints, so they never depend on comments or layout.
 */

/** `*` and `/` bind tighter than `+` and `-`; all four are left-associative. */
const PRECEDENCE: Record<BinaryOp, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

type ExprPrinters = { readonly [K in Expr["kind"]]: (e: Extract<Expr, { kind: K }>) => string };

const EXPR_PRINTERS: ExprPrinters = {
  Number: (e) => e.text,
  Call: (e) => printCall(e),
  // The grammar applies `-` to a primary only, so anything else needs parentheses
  // (`-(a + b)`, and `-(-x)` since `--x` is not a primary).
  Neg: (e) => (e.operand.kind === "Number" || e.operand.kind === "Call" ? `-${printExpr(e.operand)}` : `-(${printExpr(e.operand)})`),
  Binary: (e) => {
    const prec = PRECEDENCE[e.op];
    return `${operand(e.left, prec, false)} ${e.op} ${operand(e.right, prec, true)}`;
  },
};

/** An operand keeps parentheses only when precedence or left-associativity needs them. */
function operand(e: Expr, parentPrec: number, isRight: boolean): string {
  const text = printExpr(e);
  if (e.kind !== "Binary") return text;
  const prec = PRECEDENCE[e.op];
  return prec < parentPrec || (isRight && prec === parentPrec) ? `(${text})` : text;
}

export function printExpr(e: Expr): string {
  return (EXPR_PRINTERS[e.kind] as (e: Expr) => string)(e);
}

/** A string literal with `"` and `\` escaped: the only escapes the lexer knows. */
export function printString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function printValue(v: Value): string {
  switch (v.kind) {
    case "Shape":
      return `[${v.dims.map(printExpr).join(", ")}]`;
    case "String":
      return printString(v.value);
    default:
      return printExpr(v);
  }
}

export function printArg(a: Arg): string {
  return a.name === null ? printValue(a.value) : `${a.name.name}: ${printValue(a.value)}`;
}

/** `flatten`, `kl()`, `conv(32, kernel: 4)`: parentheses exactly when they were written. */
export function printCall(c: Call): string {
  return c.args === null ? c.callee.name : `${c.callee.name}(${c.args.map(printArg).join(", ")})`;
}
