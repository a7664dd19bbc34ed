/** What a training step runs, with the costs the checker counted for each op (the budget, the targets' memory checks). */
import type { Span } from "../diagnostics/span.js";
import type { Bottleneck } from "./bottleneck.js";
import type { Layer } from "./layers.js";
import type { LossTerm } from "./losses.js";

export interface CostedOp {
  readonly parameters: number;
  readonly state: number;
  readonly activationBytes: number;
  readonly span: Span;
}

/**
 * Every op that holds weights or activations in a training step, each with its
 * costs: the encoder, the bottleneck, the decoder, and an adversarial term's
 * discriminator (it runs in every step too).
 */
export function costedOps(m: {
  readonly encoder: readonly Layer[];
  readonly bottleneck: Bottleneck;
  readonly decoder: readonly Layer[];
  readonly losses: readonly LossTerm[];
}): CostedOp[] {
  const discriminator = m.losses.flatMap((t) => (t.kind === "adversarial" ? t.discriminator : []));
  return [...m.encoder, { ...m.bottleneck, state: 0 }, ...m.decoder, ...discriminator];
}
