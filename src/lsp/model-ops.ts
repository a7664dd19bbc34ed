import type { PartialModel } from "../check/partial.js";
import type { Span } from "../diagnostics/span.js";
import type { Bottleneck } from "../ir/bottleneck.js";
import type { Layer } from "../ir/layers.js";
import type { IrModel } from "../ir/model.js";
import type { Analysis } from "./analysis.js";

export type Part = "encoder" | "decoder" | "discriminator";

/** A model's layers in the order `aespec summary` lists them, with the bottleneck between. */
export type Op = { readonly part: Part; readonly layer: Layer } | { readonly part: "bottleneck"; readonly bottleneck: Bottleneck };

export function opsOf(m: IrModel): Op[] {
  return [
    ...m.encoder.map((layer): Op => ({ part: "encoder", layer })),
    { part: "bottleneck", bottleneck: m.bottleneck },
    ...m.decoder.map((layer): Op => ({ part: "decoder", layer })),
    ...m.losses.flatMap((t) => (t.kind === "adversarial" ? t.discriminator.map((layer): Op => ({ part: "discriminator", layer })) : [])),
  ];
}

/** As far as the checker got with a model that has errors. */
export function partialOpsOf(p: PartialModel): Op[] {
  const out: Op[] = (p.encoder?.layers ?? []).map((layer) => ({ part: "encoder", layer }));
  if (p.bottleneck !== null && !("failed" in p.bottleneck)) out.push({ part: "bottleneck", bottleneck: p.bottleneck });
  out.push(...(p.decoder?.layers ?? []).map((layer): Op => ({ part: "decoder", layer })));
  return out;
}

export const opSpan = (op: Op): Span => ("layer" in op ? op.layer.span : op.bottleneck.span);

/** The ops of one model by name: its IR, or how far it got. */
export function modelOps(a: Analysis, name: string): Op[] {
  const ir = a.models.get(name);
  if (ir !== undefined) return opsOf(ir);
  const p = a.partials.get(name);
  return p !== undefined ? partialOpsOf(p) : [];
}

/**
 * The op written at a call, as the model around it computes it; a section a
 * model only inherits is computed in the model that writes it. Null when no
 * model got that far.
 */
export function opAt(a: Analysis, modelName: string, span: Span): Op | null {
  return modelOps(a, modelName).find((op) => opSpan(op).start === span.start && opSpan(op).end === span.end) ?? null;
}
