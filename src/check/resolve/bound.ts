import type { Span } from "../../diagnostics/span.js";
import type { InputSection, Value } from "../../syntax/ast.js";
import type { CallVocabName, Signature } from "../vocabulary/types.js";

/**
 * The resolved model: sections merged along `extends`, every call looked up in
 * its vocabulary and its arguments bound to parameter names, `--set` overrides
 * applied. Values are still as written (evaluated by typecheck.ts), except
 * that call-valued ones (`data: sprites(size: 28)`) are bound calls themselves,
 * so `--set train.data.size=32` can reach them.
 */

/** A value given for a parameter or setting. `label` marks one that came from `--set`. */
export type Given =
  | { readonly kind: "value"; readonly value: Value; readonly span: Span; readonly label: string | null }
  | { readonly kind: "call"; readonly call: BoundCall; readonly span: Span; readonly label: string | null }
  | { readonly kind: "path"; readonly path: string; readonly span: Span; readonly label: string | null }
  /** Supplied by the checker itself (the default loss's `mse`), immune to lets that shadow a word. */
  | { readonly kind: "word"; readonly word: string; readonly span: Span; readonly label: null };

export interface BoundCall {
  readonly vocab: CallVocabName;
  /** An entry of that vocabulary. */
  readonly name: string;
  readonly signature: Signature;
  readonly nameSpan: Span;
  readonly span: Span;
  /** Given arguments by parameter name (defaults are filled in by typecheck.ts). */
  readonly args: ReadonlyMap<string, Given>;
  /** The `{ ... }` block of a ladder or an adversarial term. */
  readonly block: readonly BoundCall[] | null;
  /** Set when the whole call came from `--set`. */
  readonly label: string | null;
}

export interface LayerList {
  readonly keyword: Span;
  readonly span: Span;
  readonly layers: readonly BoundCall[];
}

export interface BottleneckSite {
  readonly keyword: Span;
  readonly call: BoundCall;
}

export interface LossSite {
  /** null for the default loss of a model without a `loss` section. */
  readonly keyword: Span | null;
  readonly terms: readonly BoundCall[];
}

export interface SettingSite {
  readonly nameSpan: Span;
  readonly given: Given;
}

export interface TrainSite {
  readonly keyword: Span | null;
  readonly settings: ReadonlyMap<string, SettingSite>;
}

/** What failed to bind (already reported): checks that depend on it are skipped. */
export type BrokenPart =
  /** A section written twice (AE2007). */
  "sections" | "input" | "corrupt" | "encoder" | "bottleneck" | "decoder" | "prior" | "loss" | `train.${string}`;

export interface ResolvedModel {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly input: InputSection | null;
  readonly corrupt: BoundCall | null;
  readonly encoder: LayerList | null;
  readonly bottleneck: BottleneckSite | null;
  readonly decoder: LayerList | null;
  readonly prior: BoundCall | null;
  readonly loss: LossSite | null;
  readonly train: TrainSite | null;
  readonly broken: ReadonlySet<BrokenPart>;
}
