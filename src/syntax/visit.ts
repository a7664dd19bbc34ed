import type { Arg, Call, Expr, File, Ident, Let, LossTerm, Model, Section, Setting, Value } from "./ast.js";

/**
 * The one walk over the AST. Every node is visited in source order with
 * where it stands: the model and section around it, and for a call the
 * position it is written in, which says what its name means (a layer, a loss
 * term, a word or let in a value, ...). The lint for unused lets, the
 * language server's hover, references, completion and semantic tokens all
 * read the tree through it.
 */

/** What a call's name names, from where it is written. */
export type CallRole =
  /** A layer of `encoder`, `decoder` or a discriminator block (`term` is set in the latter). */
  | "layer"
  | "bottleneck"
  /** A level of a ladder's `{ ... }` block. */
  | "ladderLevel"
  | "corruption"
  | "prior"
  | "loss"
  /** A name or call inside a value: a let, a word (`relu`, `true`, `same`) or a vocabulary call (`adam(...)`, `mnist`). */
  | "value";

export interface VisitContext {
  readonly model: Model | null;
  readonly section: Section | null;
  /** The loss term whose block or arguments hold the node. */
  readonly term: LossTerm | null;
  /** The train setting whose value holds the node. */
  readonly setting: Setting | null;
  /** The innermost call whose argument holds the node, and that argument. */
  readonly owner: { readonly call: Call; readonly role: CallRole; readonly arg: Arg } | null;
  /** The let whose body holds the node. */
  readonly inLet: Let | null;
}

export interface Visitor {
  model?(m: Model): void;
  let?(l: Let): void;
  section?(s: Section, ctx: VisitContext): void;
  setting?(s: Setting, ctx: VisitContext): void;
  call?(c: Call, role: CallRole, ctx: VisitContext): void;
  arg?(a: Arg, call: Call, ctx: VisitContext): void;
  /** A name standing for a let or a word: a call in a value without parentheses. */
  reference?(name: Ident, ctx: VisitContext): void;
  /** A model's `extends` base. */
  base?(name: Ident, model: Model): void;
  number?(v: Expr & { kind: "Number" }, ctx: VisitContext): void;
  string?(v: Value & { kind: "String" }, ctx: VisitContext): void;
}

const TOP: VisitContext = { model: null, section: null, term: null, setting: null, owner: null, inLet: null };

export function visitFile(file: File, v: Visitor): void {
  for (const item of file.items) {
    if (item.kind === "Let") {
      v.let?.(item);
      walkValue(item.value, { ...TOP, inLet: item }, v);
    } else walkModel(item, v);
  }
}

/** Walks one value on its own (a `--set` value), as if at the top of a file. */
export function visitValue(value: Value, v: Visitor): void {
  walkValue(value, TOP, v);
}

function walkModel(m: Model, v: Visitor): void {
  v.model?.(m);
  if (m.base !== null) v.base?.(m.base, m);
  for (const s of m.sections) {
    const ctx: VisitContext = { ...TOP, model: m, section: s };
    v.section?.(s, ctx);
    walkSection(s, ctx, v);
  }
}

function walkSection(s: Section, ctx: VisitContext, v: Visitor): void {
  switch (s.kind) {
    case "InputSection":
      walkValue(s.shape, ctx, v);
      if (s.range !== null) for (const b of [s.range.low, s.range.high]) walkValue(b, ctx, v);
      return;
    case "CorruptSection":
      return walkCall(s.call, "corruption", ctx, v);
    case "PriorSection":
      return walkCall(s.call, "prior", ctx, v);
    case "EncoderSection":
    case "DecoderSection":
      for (const l of s.layers) walkCall(l, "layer", ctx, v);
      return;
    case "BottleneckSection":
      walkCall(s.call, "bottleneck", ctx, v);
      for (const l of s.block ?? []) walkCall(l, "ladderLevel", ctx, v);
      return;
    case "LossSection":
      for (const t of s.terms) {
        const inTerm = { ...ctx, term: t };
        walkCall(t.call, "loss", inTerm, v);
        for (const l of t.block ?? []) walkCall(l, "layer", inTerm, v);
      }
      return;
    case "TrainSection":
      for (const st of s.settings) {
        const inSetting = { ...ctx, setting: st };
        v.setting?.(st, inSetting);
        walkValue(st.value, inSetting, v);
      }
      return;
  }
}

function walkCall(c: Call, role: CallRole, ctx: VisitContext, v: Visitor): void {
  if (role === "value" && c.args === null) {
    v.reference?.(c.callee, ctx);
    v.call?.(c, role, ctx);
    return;
  }
  v.call?.(c, role, ctx);
  for (const a of c.args ?? []) {
    const inArg: VisitContext = { ...ctx, owner: { call: c, role, arg: a } };
    v.arg?.(a, c, inArg);
    walkValue(a.value, inArg, v);
  }
}

function walkValue(value: Value, ctx: VisitContext, v: Visitor): void {
  switch (value.kind) {
    case "Number":
      return v.number?.(value, ctx);
    case "String":
      return v.string?.(value, ctx);
    case "Neg":
      return walkValue(value.operand, ctx, v);
    case "Binary":
      walkValue(value.left, ctx, v);
      return walkValue(value.right, ctx, v);
    case "Shape":
      for (const d of value.dims) walkValue(d, ctx, v);
      return;
    case "Call":
      return walkCall(value, "value", ctx, v);
  }
}
