import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { BottleneckKind } from "../../ir/bottleneck.js";
import type { Shape } from "../../ir/layers.js";
import type { CorruptionKind } from "../../ir/losses.js";

/**
 * What loss rules need to know about the rest of the model. A field is
 * undefined when the part it comes from failed to check (already reported):
 * a rule that needs it says nothing rather than echo that failure.
 */
export interface LossContext {
  readonly bottleneck: { readonly kind: BottleneckKind; readonly latentShape: Shape } | undefined;
  /** The input's range (declared, else the data's) and where it comes from. */
  readonly range: InputRangeFacts | undefined;
  readonly corruption: { readonly kind: CorruptionKind | null } | undefined;
  readonly out: Diagnostic[];
}

export interface InputRangeFacts {
  readonly range: readonly [number, number] | null;
  /** The `in [..]` as written, or the data setting the range comes from. */
  readonly span: Span | null;
  readonly source: "declared" | "data" | "unknown";
}
