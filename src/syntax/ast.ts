import type { Span } from "../diagnostics/span.js";

/**
 * The abstract syntax tree: what the user wrote, with a span on every node.
 * Immutable plain data. Built from the CST by src/syntax/build-ast.ts, printed
 * by src/syntax/printer.ts, read by the resolver in src/check/.
 *
 * Parentheses in expressions are not kept: the printer puts back exactly those
 * that precedence needs. A NumberLit keeps the text it was written with.
 */

export interface Ident {
  readonly kind: "Ident";
  readonly name: string;
  readonly span: Span;
}

export interface NumberLit {
  readonly kind: "Number";
  readonly value: number;
  /** As written (e.g. "1e-3"), never with a sign: negation is a Neg node. */
  readonly text: string;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: "String";
  /** The decoded value (escapes resolved). */
  readonly value: string;
  readonly span: Span;
}

export interface Neg {
  readonly kind: "Neg";
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = "+" | "-" | "*" | "/";

export interface Binary {
  readonly kind: "Binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/**
 * `name` or `name(args)`. `args` is null when no parentheses were written
 * (`flatten`), and an empty array for `kl()`.
 */
export interface Call {
  readonly kind: "Call";
  readonly callee: Ident;
  readonly args: readonly Arg[] | null;
  readonly span: Span;
}

export interface Arg {
  readonly kind: "Arg";
  /** null for a positional argument. */
  readonly name: Ident | null;
  readonly value: Value;
  readonly span: Span;
}

export interface ShapeLit {
  readonly kind: "Shape";
  readonly dims: readonly Expr[];
  readonly span: Span;
}

export type Expr = NumberLit | Neg | Binary | Call;
export type Value = Expr | ShapeLit | StringLit;

// --- sections ---------------------------------------------------------------

interface SectionBase {
  /** The span of the section's keyword (`input`, `loss`, ...). */
  readonly keyword: Span;
  readonly span: Span;
}

export interface InputRange {
  readonly kind: "Range";
  readonly low: Expr;
  readonly high: Expr;
  readonly span: Span;
}

export interface InputSection extends SectionBase {
  readonly kind: "InputSection";
  readonly shape: ShapeLit;
  readonly range: InputRange | null;
}

export interface CorruptSection extends SectionBase {
  readonly kind: "CorruptSection";
  readonly call: Call;
}

export interface EncoderSection extends SectionBase {
  readonly kind: "EncoderSection";
  readonly layers: readonly Call[];
}

export interface BottleneckSection extends SectionBase {
  readonly kind: "BottleneckSection";
  readonly call: Call;
  /** The `{ gaussian(64) ... }` block of a ladder; null when none was written. */
  readonly block: readonly Call[] | null;
}

export interface DecoderSection extends SectionBase {
  readonly kind: "DecoderSection";
  readonly layers: readonly Call[];
}

export interface PriorSection extends SectionBase {
  readonly kind: "PriorSection";
  readonly call: Call;
}

export interface LossTerm {
  readonly kind: "LossTerm";
  readonly call: Call;
  /** The layer block of `adversarial(...) { ... }`; null when none was written. */
  readonly block: readonly Call[] | null;
  readonly span: Span;
}

export interface LossSection extends SectionBase {
  readonly kind: "LossSection";
  readonly terms: readonly LossTerm[];
}

export interface Setting {
  readonly kind: "Setting";
  readonly name: Ident;
  readonly value: Value;
  readonly span: Span;
}

export interface TrainSection extends SectionBase {
  readonly kind: "TrainSection";
  readonly settings: readonly Setting[];
}

export type Section = InputSection | CorruptSection | EncoderSection | BottleneckSection | DecoderSection | PriorSection | LossSection | TrainSection;

export type SectionKind = Section["kind"];

/** The keyword that introduces each section kind. */
export const SECTION_KEYWORD = {
  InputSection: "input",
  CorruptSection: "corrupt",
  EncoderSection: "encoder",
  BottleneckSection: "bottleneck",
  DecoderSection: "decoder",
  PriorSection: "prior",
  LossSection: "loss",
  TrainSection: "train",
} as const satisfies { readonly [K in SectionKind]: string };
export type SectionKeyword = (typeof SECTION_KEYWORD)[SectionKind];

// --- top level --------------------------------------------------------------

export interface Let {
  readonly kind: "Let";
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export interface Model {
  readonly kind: "Model";
  readonly name: Ident;
  readonly base: Ident | null;
  readonly sections: readonly Section[];
  readonly span: Span;
}

export interface Comment {
  readonly kind: "Comment";
  /** The whole comment including its delimiters (`// ...` or `/* ... *\/`). */
  readonly text: string;
  readonly span: Span;
}

export interface File {
  readonly kind: "File";
  readonly items: readonly (Let | Model)[];
  /** Comments in source order; kept for the formatter. */
  readonly comments: readonly Comment[];
  readonly span: Span;
}
