/**
 * What the checker computed of a model that has errors: the shapes up to and
 * including the layer that failed, so `aespec summary` can show how far the
 * model got instead of nothing. Plain data, like the IR it is a prefix of.
 */
import type { Span } from "../diagnostics/span.js";
import type { Bottleneck } from "../ir/bottleneck.js";
import type { Layer, Shape } from "../ir/layers.js";

export interface PartialStack {
  /** The layers that checked, in order. */
  readonly layers: readonly Layer[];
  /** The call that failed after them (its span), or null when every layer checked. */
  readonly failed: Span | null;
}

export interface PartialModel {
  readonly name: string;
  readonly input: { readonly shape: Shape; readonly range: readonly [number, number] | null } | null;
  /** Null where the part was not reached (an earlier part failed) or could not be typed. */
  readonly encoder: PartialStack | null;
  /** The bottleneck, or the span of its call when it failed; null when not reached. */
  readonly bottleneck: Bottleneck | { readonly failed: Span } | null;
  readonly decoder: PartialStack | null;
}

/** Records a stack's progress for a PartialModel (runLayers fills it). */
export class StackTrace {
  readonly layers: Layer[] = [];
  failed: Span | null = null;

  done(): PartialStack {
    return { layers: [...this.layers], failed: this.failed };
  }
}
