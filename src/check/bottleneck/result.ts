import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Bottleneck } from "../../ir/bottleneck.js";

/** What a bottleneck's builder gives: the IR, or the error that refused it. */
export type BottleneckResult = { readonly bottleneck: Bottleneck } | { readonly error: Diagnostic };
