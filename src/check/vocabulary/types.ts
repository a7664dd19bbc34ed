/**
 * Signatures: what each name of a context (a layer, a loss term, a setting...)
 * accepts. Binding and type checking read these tables; the IR builders read
 * the typed arguments they produce. Parameter names are public: `--set` uses them.
 */

export interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

export type ParamType =
  /** An integer >= min (and <= max when given). */
  | { readonly kind: "int"; readonly min: number; readonly max?: number }
  /** A finite number within the optional bounds. */
  | { readonly kind: "number"; readonly min?: Bound; readonly max?: Bound }
  | { readonly kind: "bool" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  /** A literal shape `[d1, ...]` of positive integers, of one of the given ranks. */
  | { readonly kind: "shape"; readonly ranks: readonly number[] }
  /** A call of the named vocabulary (`adam(lr: 1e-3)`, `mnist`); with `path`, a string path too. */
  | { readonly kind: "call"; readonly vocab: CallVocabName; readonly path?: boolean };

export type TypedDefault =
  | { readonly t: "number"; readonly v: number }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "enum"; readonly v: string }
  /** A call of the param's vocabulary with all its defaults (the optimizer's `adam()`). */
  | { readonly t: "call"; readonly name: string };

export type ParamDefault =
  | { readonly kind: "required" }
  /** Absent means "none" (vq's `ema`, `early_stop`, `data`). */
  | { readonly kind: "optional" }
  | { readonly kind: "value"; readonly value: TypedDefault };

export interface Param {
  readonly name: string;
  readonly type: ParamType;
  readonly default: ParamDefault;
}

/** Whether a call takes a `{ ... }` block of calls, and of which vocabulary. */
export type BlockSpec =
  | { readonly kind: "none" }
  | {
      readonly kind: "required";
      readonly vocab: CallVocabName;
      readonly min: number;
      /** What the block holds, for messages ("a block of levels"), and an example. */
      readonly what: string;
      readonly example: string;
    };

export interface Signature {
  readonly params: readonly Param[];
  readonly block: BlockSpec;
}

export type CallVocabName = "layer" | "bottleneck" | "ladderLevel" | "corruption" | "prior" | "loss" | "data" | "optimizer" | "schedule";

export interface Vocabulary {
  /** How an entry is called in messages: "unknown layer 'dens'". */
  readonly noun: string;
  readonly entries: Readonly<Record<string, Signature>>;
}

// --- helpers that keep the tables short ----------------------------------------

export const NO_BLOCK: BlockSpec = { kind: "none" };

export const required = <N extends string>(name: N, type: ParamType): Param & { readonly name: N } => ({
  name,
  type,
  default: { kind: "required" },
});
export const optional = <N extends string>(name: N, type: ParamType): Param & { readonly name: N } => ({
  name,
  type,
  default: { kind: "optional" },
});
export const withDefault = <N extends string>(name: N, type: ParamType, v: number | boolean | string): Param & { readonly name: N } => ({
  name,
  type,
  default: { kind: "value", value: typedDefault(type, v) },
});

function typedDefault(type: ParamType, v: number | boolean | string): TypedDefault {
  if (typeof v === "number") return { t: "number", v };
  if (typeof v === "boolean") return { t: "bool", v };
  return type.kind === "call" ? { t: "call", name: v } : { t: "enum", v };
}

export const sig = (...params: Param[]): Signature => ({ params, block: NO_BLOCK });

export const T = {
  int: (min: number, max?: number): ParamType => (max === undefined ? { kind: "int", min } : { kind: "int", min, max }),
  positiveInt: { kind: "int", min: 1 } as ParamType,
  nonNegativeInt: { kind: "int", min: 0 } as ParamType,
  number: { kind: "number" } as ParamType,
  nonNegative: { kind: "number", min: { value: 0, inclusive: true } } as ParamType,
  positive: { kind: "number", min: { value: 0, inclusive: false } } as ParamType,
  /** [0, 1): a rate that must leave something. */
  rate: { kind: "number", min: { value: 0, inclusive: true }, max: { value: 1, inclusive: false } } as ParamType,
  /** (0, 1): strictly between. */
  openUnit: { kind: "number", min: { value: 0, inclusive: false }, max: { value: 1, inclusive: false } } as ParamType,
  bool: { kind: "bool" } as ParamType,
  oneOf: (...values: string[]): ParamType => ({ kind: "enum", values }),
  shape: (...ranks: number[]): ParamType => ({ kind: "shape", ranks }),
  call: (vocab: CallVocabName, path = false): ParamType => (path ? { kind: "call", vocab, path } : { kind: "call", vocab }),
} as const;
