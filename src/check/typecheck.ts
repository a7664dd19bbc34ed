import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { describeEvaluated, evaluate, type Evaluated } from "./evaluate.js";
import { fmtNum } from "../diagnostics/format.js";
import type { LetTable } from "./lets.js";
import type { BoundCall, Given } from "./resolve/bound.js";
import { signatureOf } from "./vocabulary/index.js";
import type { Bound, CallVocabName, Param, ParamType } from "./vocabulary/types.js";

/** An argument after evaluation and type checking. */
export type TypedValue =
  | { readonly t: "number"; readonly v: number }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "enum"; readonly v: string }
  | { readonly t: "shape"; readonly v: readonly number[] }
  | { readonly t: "path"; readonly v: string }
  | { readonly t: "call"; readonly v: TypedCall }
  | { readonly t: "none" };

type Payload = { [T in Exclude<TypedValue["t"], "none">]: Extract<TypedValue, { t: T }>["v"] };

export interface TypedCall {
  readonly vocab: CallVocabName;
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly args: TypedArgs;
  readonly block: readonly TypedCall[] | null;
}

interface TypedArg {
  readonly value: TypedValue;
  /** The value as written, or the call's span for a default. */
  readonly span: Span;
  /** The `--set` path it came from, if any. */
  readonly label: string | null;
}

/** Every parameter of a call with its value (defaults filled in). Readers are checked: a mismatch is an internal error. */
export class TypedArgs {
  constructor(
    private readonly owner: string,
    private readonly values: ReadonlyMap<string, TypedArg>,
  ) {}

  private get(name: string): TypedArg {
    const a = this.values.get(name);
    if (a === undefined) throw new Error(`internal: ${this.owner} has no parameter '${name}'`);
    return a;
  }
  private as<K extends keyof Payload>(name: string, t: K): Payload[K] {
    const v = this.get(name).value;
    if (v.t !== t) throw new Error(`internal: ${this.owner} ${name} is ${v.t}, not ${t}`);
    return (v as unknown as { v: Payload[K] }).v;
  }
  num(name: string): number {
    return this.as(name, "number");
  }
  bool(name: string): boolean {
    return this.as(name, "bool");
  }
  enum(name: string): string {
    return this.as(name, "enum");
  }
  shape(name: string): readonly number[] {
    return this.as(name, "shape");
  }
  /** A number or null when an optional parameter was not given. */
  optNum(name: string): number | null {
    return this.get(name).value.t === "none" ? null : this.num(name);
  }
  value(name: string): TypedValue {
    return this.get(name).value;
  }
  spanOf(name: string): Span {
    return this.get(name).span;
  }
  labelOf(name: string): string | null {
    return this.get(name).label;
  }
  /** Who a message about this argument names: the `--set` path, or "dense units". */
  subject(name: string): string {
    return this.get(name).label ?? `${this.owner} ${name}`;
  }
}

export interface TypeContext {
  readonly lets: LetTable;
  readonly out: Diagnostic[];
}

/** Evaluates and checks every argument of a bound call; null after reporting. */
export function typeCall(b: BoundCall, ctx: TypeContext): TypedCall | null {
  const values = new Map<string, TypedArg>();
  let ok = true;
  for (const p of b.signature.params) {
    const given = b.args.get(p.name);
    const arg = given === undefined ? defaultArg(b, p, ctx) : typeGiven(given, p.type, ctx, given.label ?? `${b.name} ${p.name}`);
    if (arg === null) ok = false;
    else values.set(p.name, arg);
  }
  let block: TypedCall[] | null = null;
  if (b.block !== null) {
    block = [];
    for (const c of b.block) {
      const t = typeCall(c, ctx);
      if (t === null) ok = false;
      else block.push(t);
    }
  }
  if (!ok) return null;
  return { vocab: b.vocab, name: b.name, nameSpan: b.nameSpan, span: b.span, args: new TypedArgs(b.name, values), block };
}

function defaultArg(b: BoundCall, p: Param, ctx: TypeContext): TypedArg | null {
  const d = p.default;
  if (d.kind === "optional") return { value: { t: "none" }, span: b.span, label: null };
  if (d.kind === "required") {
    const who = b.label !== null ? `${b.label}: ` : "";
    ctx.out.push(
      diag("AE2105", `${who}${b.name} needs its argument '${p.name}'`, b.span, {
        hint: `e.g. ${b.name}(${p.name}: ...)`,
      }),
    );
    return null;
  }
  const v = d.value;
  if (v.t !== "call") return { value: v, span: b.span, label: null };
  const typed = defaultCall(p.type, v.name, b.span, ctx);
  return typed === null ? null : { value: { t: "call", v: typed }, span: b.span, label: null };
}

/** The call a default names (`optimizer` defaults to `adam()`), with its own defaults. */
export function defaultCall(type: ParamType, name: string, at: Span, ctx: TypeContext): TypedCall | null {
  if (type.kind !== "call") throw new Error("internal: a call default for a non-call parameter");
  const signature = signatureOf(type.vocab, name);
  if (signature === undefined) throw new Error(`internal: default '${name}' is no ${type.vocab}`);
  return typeCall({ vocab: type.vocab, name, signature, nameSpan: at, span: at, args: new Map(), block: null, label: null }, ctx);
}

/** One given value against its parameter's type. `subject` names it in messages ("dense units", "--set train.batch"). */
export function typeGiven(given: Given, type: ParamType, ctx: TypeContext, subject: string): TypedArg | null {
  const done = (value: TypedValue): TypedArg => ({ value, span: given.span, label: given.label });
  if (given.kind === "call") {
    const c = typeCall(given.call, ctx);
    return c === null ? null : done({ t: "call", v: c });
  }
  if (given.kind === "path") return done({ t: "path", v: given.path });
  if (given.kind === "word") {
    const w = convert({ kind: "word", name: given.word, span: given.span }, type, subject, ctx.out);
    return w === null ? null : done(w);
  }
  const words = type.kind === "enum" ? type.values : type.kind === "bool" ? ["true", "false"] : [];
  const e = evaluate(given.value, ctx.lets.context(ctx.out, words, given.label));
  if (e === null) return null;
  const v = convert(e, type, subject, ctx.out);
  return v === null ? null : done(v);
}

function convert(e: Evaluated, type: ParamType, subject: string, out: Diagnostic[]): TypedValue | null {
  const wrong = (expected: string) => {
    out.push(diag("AE2107", `${subject}: expected ${expected}, got ${describeEvaluated(e)}`, e.span));
    return null;
  };
  switch (type.kind) {
    case "int":
    case "number": {
      if (e.kind !== "number") return wrong(type.kind === "int" ? "an integer" : "a number");
      return checkNumber(e.value, type, subject, e.span, out) ? { t: "number", v: e.value } : null;
    }
    case "bool":
      if (e.kind === "word" && (e.name === "true" || e.name === "false")) return { t: "bool", v: e.name === "true" };
      return wrong("true or false");
    case "enum":
      if (e.kind === "word" && type.values.includes(e.name)) return { t: "enum", v: e.name };
      return wrong(oneOf(type.values));
    case "shape":
      return convertShape(e, type.ranks, subject, out);
    case "call":
      throw new Error("internal: call-valued parameters are bound, not evaluated");
  }
}

/** Checks integrality and bounds of a number; reports AE2107/AE2108. */
export function checkNumber(x: number, type: Extract<ParamType, { kind: "int" | "number" }>, subject: string, at: Span, out: Diagnostic[]): boolean {
  const range = (text: string) => {
    out.push(diag("AE2108", `${subject}: must be ${text}, got ${fmtNum(x)}`, at));
    return false;
  };
  if (type.kind === "int") {
    if (!Number.isInteger(x)) {
      out.push(diag("AE2107", `${subject}: expected an integer, got ${fmtNum(x)}`, at));
      return false;
    }
    if (x < type.min) return range(type.min === 1 ? "at least 1" : `at least ${type.min}`);
    const max = Math.min(type.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (x > max) return range(`at most ${fmtNum(max)}`);
    return true;
  }
  const inside = (b: Bound | undefined, below: boolean) =>
    b === undefined || (below ? (b.inclusive ? x >= b.value : x > b.value) : b.inclusive ? x <= b.value : x < b.value);
  if (inside(type.min, true) && inside(type.max, false)) return true;
  return range(describeBounds(type.min, type.max));
}

export function describeBounds(min: Bound | undefined, max: Bound | undefined): string {
  if (min !== undefined && max !== undefined) return `in ${min.inclusive ? "[" : "("}${fmtNum(min.value)}, ${fmtNum(max.value)}${max.inclusive ? "]" : ")"}`;
  if (min !== undefined) return min.inclusive ? `at least ${fmtNum(min.value)}` : `greater than ${fmtNum(min.value)}`;
  if (max !== undefined) return max.inclusive ? `at most ${fmtNum(max.value)}` : `less than ${fmtNum(max.value)}`;
  return "a number";
}

function convertShape(e: Evaluated, ranks: readonly number[], subject: string, out: Diagnostic[]): TypedValue | null {
  const rankText = ranks.map((r) => (r === 1 ? "[features]" : r === 3 ? "[h, w, c]" : `${r} dims`)).join(" or ");
  if (e.kind !== "shape") {
    out.push(diag("AE2107", `${subject}: expected a shape ${rankText}, got ${describeEvaluated(e)}`, e.span));
    return null;
  }
  if (!ranks.includes(e.dims.length)) {
    out.push(diag("AE2107", `${subject}: expected a shape ${rankText}, got one of ${e.dims.length} dims`, e.span));
    return null;
  }
  const dims: number[] = [];
  let ok = true;
  for (const d of e.dims) {
    if (d.kind !== "number") {
      out.push(diag("AE2107", `${subject}: a dimension must be a number, got ${describeEvaluated(d)}`, d.span));
      ok = false;
    } else if (checkNumber(d.value, { kind: "int", min: 1 }, `${subject} dimension`, d.span, out)) dims.push(d.value);
    else ok = false;
  }
  return ok ? { t: "shape", v: dims } : null;
}

function oneOf(values: readonly string[]): string {
  if (values.length === 2) return `${values[0]} or ${values[1]}`;
  return `one of ${values.join(", ")}`;
}
