import { InlayHintKind, type InlayHint } from "vscode-languageserver";
import { count } from "../cli/describe.js";
import { fmtShape } from "../diagnostics/format.js";
import type { Model } from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { modelOps, opSpan, type Op } from "./model-ops.js";
import { positionOf } from "./positions.js";

/**
 * Inlay hints: the output shape after every layer and after the bottleneck
 * (`-> [512]`), and the model's parameter total after its name. A section a
 * model inherits is hinted in the model that writes it, with that model's
 * shapes; a model with errors shows the shapes as far as the checker got.
 */
export function inlayHints(a: Analysis, from: number, to: number): InlayHint[] {
  const out: InlayHint[] = [];
  for (const item of a.ast.items) {
    if (item.kind !== "Model" || item.span.end < from || item.span.start > to) continue;
    const ir = a.models.get(item.name.name);
    if (ir !== undefined) out.push(hint(a, item.name.span.end, ` ${count(ir.totals.parameters)} parameters`, false));
    // The bottleneck's after its whole section: a ladder's after its block of levels.
    const bottleneck = item.sections.find((s) => s.kind === "BottleneckSection");
    for (const op of ownOps(a, item)) {
      const at = op.part === "bottleneck" && bottleneck !== undefined ? bottleneck.span.end : opSpan(op).end;
      out.push(hint(a, at, ` -> ${fmtShape(outShape(op))}`, true));
    }
  }
  return out.filter((h) => {
    const at = h.position;
    return at.line >= positionOf(a.source, from).line && at.line <= positionOf(a.source, to).line;
  });
}

/** The ops a model computes from the calls written in its own braces. */
export function ownOps(a: Analysis, m: Model): Op[] {
  return modelOps(a, m.name.name).filter((op) => opSpan(op).start >= m.span.start && opSpan(op).end <= m.span.end);
}

export const outShape = (op: Op) => ("layer" in op ? op.layer.outShape : op.bottleneck.latentShape);

function hint(a: Analysis, offset: number, label: string, isType: boolean): InlayHint {
  return { position: positionOf(a.source, offset), label, ...(isType ? { kind: InlayHintKind.Type } : {}), paddingLeft: false };
}
