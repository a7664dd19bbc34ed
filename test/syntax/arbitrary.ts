import fc from "fast-check";
import type * as A from "../../src/syntax/ast.js";
import type { Span } from "../../src/diagnostics/span.js";

/**
 * fast-check arbitraries for syntactically valid ASTs (docs/language.md grammar),
 * with dummy spans and no comments. Names come from the language's vocabulary
 * and from random identifiers; the results parse but need not check.
 * Each section kind appears at most once per model and positional arguments
 * come before keyword ones, so the models also suit checker tests that want
 * only semantic mistakes.
 */

export const DUMMY_SPAN: Span = { file: "<generated>", start: 0, end: 0 };
const S = DUMMY_SPAN;

export const KEYWORDS: ReadonlySet<string> = new Set([
  "model",
  "extends",
  "let",
  "input",
  "in",
  "corrupt",
  "encoder",
  "bottleneck",
  "decoder",
  "prior",
  "loss",
  "train",
]);

export const ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "softplus"] as const;

/** Every word docs/language.md names: layers, bottlenecks, corruptions, losses, settings, options, data sets. */
export const VOCABULARY: readonly string[] = [
  "dense",
  "conv",
  "deconv",
  "flatten",
  "reshape",
  "dropout",
  "batchnorm",
  "layernorm",
  ...ACTIVATIONS,
  "deterministic",
  "gaussian",
  "vq",
  "ladder",
  "saltpepper",
  "mask",
  "normal",
  "reconstruction",
  "kl",
  "contractive",
  "mmd",
  "adversarial",
  "commitment",
  "mse",
  "bernoulli",
  "all",
  "masked",
  "imq",
  "rbf",
  "same",
  "valid",
  "true",
  "false",
  "kernel",
  "stride",
  "padding",
  "codes",
  "dim",
  "ema",
  "restart",
  "skip",
  "sigma",
  "patch",
  "ratio",
  "beta",
  "warmup",
  "free_bits",
  "weight",
  "lr",
  "on",
  "momentum",
  "size",
  "noise",
  "rank",
  "data",
  "optimizer",
  "batch",
  "epochs",
  "seed",
  "validation",
  "early_stop",
  "mnist",
  "fashion_mnist",
  "sprites",
  "sphere",
  "lowrank",
  "adam",
  "sgd",
  "rmsprop",
];

export const arbName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/).filter((s) => !KEYWORDS.has(s)) },
);

export function ident(name: string): A.Ident {
  return { kind: "Ident", name, span: S };
}

export const arbIdent: fc.Arbitrary<A.Ident> = arbName.map(ident);

export function num(text: string): A.NumberLit {
  return { kind: "Number", value: Number(text), text, span: S };
}

const digits = fc.stringMatching(/^[0-9]{1,3}$/);

/** The lexer's NUMBER forms: `128`, `0.25`, `.5`, `1e-3`, `2.5E+4` (never a sign). */
export const arbNumberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 4096 }).map(String) },
  fc.tuple(fc.nat({ max: 99 }), digits).map(([a, b]) => `${a}.${b}`),
  digits.map((d) => `.${d}`),
  fc
    .tuple(fc.constantFrom("1", "3", "2.5", "0.1"), fc.constantFrom("e", "E"), fc.constantFrom("", "-", "+"), fc.nat({ max: 12 }))
    .map(([m, e, sign, x]) => `${m}${e}${sign}${x}`),
);

export const arbNumber: fc.Arbitrary<A.NumberLit> = arbNumberText.map(num);

/** Strings with the characters that need escaping and a few that do not. */
export const arbStringLit: fc.Arbitrary<A.StringLit> = fc
  .string({ unit: fc.constantFrom("a", "b", "x", "/", ".", " ", "_", "-", '"', "\\", "é", "{", "}", "*", "#"), maxLength: 12 })
  .map((value) => ({ kind: "String", value, span: S }));

export function call(name: string, args: readonly A.Arg[] | null): A.Call {
  return { kind: "Call", callee: ident(name), args, span: S };
}

export function arg(name: string | null, value: A.Value): A.Arg {
  return { kind: "Arg", name: name === null ? null : ident(name), value, span: S };
}

export const arbBareCall: fc.Arbitrary<A.Call> = arbName.map((n) => call(n, null));

/** Positional arguments first, then keyword arguments with distinct names. */
function arbArgs(value: fc.Arbitrary<A.Value>): fc.Arbitrary<A.Arg[]> {
  return fc
    .tuple(fc.array(value, { maxLength: 2 }), fc.uniqueArray(fc.tuple(arbName, value), { maxLength: 3, selector: (t) => t[0] }))
    .map(([positional, named]) => [...positional.map((v) => arg(null, v)), ...named.map(([n, v]) => arg(n, v))]);
}

const exprCache = new Map<number, fc.Arbitrary<A.Expr>>();

/** Expressions nested at most `depth` levels: numbers, names, calls, `-`, `+ - * /`. */
export function arbExpr(depth = 3): fc.Arbitrary<A.Expr> {
  const cached = exprCache.get(depth);
  if (cached !== undefined) return cached;
  const leaf = fc.oneof(arbNumber, arbBareCall) as fc.Arbitrary<A.Expr>;
  let result: fc.Arbitrary<A.Expr> = leaf;
  if (depth > 0) {
    const sub = arbExpr(depth - 1);
    result = fc.oneof(
      { weight: 3, arbitrary: leaf },
      { weight: 1, arbitrary: sub.map((operand): A.Expr => ({ kind: "Neg", operand, span: S })) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom<A.BinaryOp>("+", "-", "*", "/"), sub, sub)
          .map(([op, left, right]): A.Expr => ({ kind: "Binary", op, left, right, span: S })),
      },
      { weight: 1, arbitrary: arbCall(depth - 1) },
    );
  }
  exprCache.set(depth, result);
  return result;
}

export function arbShape(depth = 2): fc.Arbitrary<A.ShapeLit> {
  return fc.array(arbExpr(depth), { minLength: 1, maxLength: 3 }).map((dims) => ({ kind: "Shape", dims, span: S }));
}

export function arbValue(depth = 2): fc.Arbitrary<A.Value> {
  return fc.oneof({ weight: 4, arbitrary: arbExpr(depth) }, arbShape(depth), arbStringLit);
}

/** A call with or without parentheses, arguments of the given depth. */
export function arbCall(depth = 2): fc.Arbitrary<A.Call> {
  return fc.oneof(
    arbBareCall,
    fc.tuple(arbName, arbArgs(arbValue(depth))).map(([n, args]) => call(n, args)),
  );
}

const n = (v: number): A.NumberLit => num(String(v));
const units = fc.constantFrom(1, 8, 32, 64, 512, 784);

/** Layers as docs/language.md writes them, plus arbitrary calls. */
export const arbLayer: fc.Arbitrary<A.Call> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ACTIVATIONS).map((a) => call(a, null)) },
  { weight: 3, arbitrary: units.map((u) => call("dense", [arg(null, n(u))])) },
  fc
    .tuple(fc.constantFrom("conv", "deconv"), units, fc.constantFrom(3, 4), fc.constantFrom(1, 2))
    .map(([c, f, k, s]) => call(c, [arg(null, n(f)), arg("kernel", n(k)), arg("stride", n(s))])),
  fc.constantFrom("flatten", "batchnorm", "layernorm").map((c) => call(c, null)),
  arbShape(1).map((shape) => call("reshape", [arg(null, shape)])),
  { weight: 2, arbitrary: arbCall(1) },
);

export const arbLayers: fc.Arbitrary<A.Call[]> = fc.array(arbLayer, { maxLength: 7 });

const sectionBase = { keyword: S, span: S };

type SectionArbs = { readonly [K in A.SectionKind]: fc.Arbitrary<Extract<A.Section, { kind: K }>> };

export const SECTION_ARBITRARIES: SectionArbs = {
  InputSection: fc.tuple(arbShape(1), fc.option(fc.tuple(arbExpr(1), arbExpr(1)))).map(([shape, r]) => ({
    kind: "InputSection",
    ...sectionBase,
    shape,
    range: r === null ? null : { kind: "Range", low: r[0], high: r[1], span: S },
  })),
  CorruptSection: arbCall(1).map((c) => ({ kind: "CorruptSection", ...sectionBase, call: c })),
  EncoderSection: arbLayers.map((layers) => ({ kind: "EncoderSection", ...sectionBase, layers })),
  BottleneckSection: fc
    .tuple(arbCall(1), fc.option(fc.array(arbCall(1), { maxLength: 3 })))
    .map(([c, block]) => ({ kind: "BottleneckSection", ...sectionBase, call: c, block })),
  DecoderSection: arbLayers.map((layers) => ({ kind: "DecoderSection", ...sectionBase, layers })),
  PriorSection: arbCall(1).map((c) => ({ kind: "PriorSection", ...sectionBase, call: c })),
  LossSection: fc
    .array(
      fc.tuple(arbCall(1), fc.option(arbLayers, { freq: 3 })).map(([c, block]): A.LossTerm => ({ kind: "LossTerm", call: c, block, span: S })),
      { maxLength: 3 },
    )
    .map((terms) => ({ kind: "LossSection", ...sectionBase, terms })),
  TrainSection: fc.uniqueArray(fc.tuple(arbName, arbValue(2)), { maxLength: 6, selector: (t) => t[0] }).map((pairs) => ({
    kind: "TrainSection",
    ...sectionBase,
    settings: pairs.map(([name, value]): A.Setting => ({ kind: "Setting", name: ident(name), value, span: S })),
  })),
};

const SECTION_KINDS = Object.keys(SECTION_ARBITRARIES) as A.SectionKind[];

/** Any subset of the section kinds, in any order, each at most once. */
export const arbSections: fc.Arbitrary<A.Section[]> = fc
  .shuffledSubarray(SECTION_KINDS)
  .chain((kinds) => fc.tuple(...kinds.map((k) => SECTION_ARBITRARIES[k] as fc.Arbitrary<A.Section>)));

export const arbModel: fc.Arbitrary<A.Model> = fc
  .tuple(arbName, fc.option(arbName), arbSections)
  .map(([name, base, sections]) => ({ kind: "Model", name: ident(name), base: base === null ? null : ident(base), sections, span: S }));

export const arbLet: fc.Arbitrary<A.Let> = fc.tuple(arbName, arbExpr(3)).map(([name, value]) => ({ kind: "Let", name: ident(name), value, span: S }));

export const arbFile: fc.Arbitrary<A.File> = fc
  .array(fc.oneof(arbLet, arbModel), { maxLength: 5 })
  .map((items) => ({ kind: "File", items, comments: [], span: S }));

/** A deep copy without spans (`span`, a section's `keyword`) and without comments, for comparing ASTs. */
export function withoutSpans<T>(node: T): unknown {
  if (Array.isArray(node)) return node.map(withoutSpans);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || key === "keyword") continue;
    out[key] = key === "comments" ? [] : withoutSpans(value);
  }
  return out;
}
