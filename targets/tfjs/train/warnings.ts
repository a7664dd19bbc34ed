/** The live warnings of a run, located at the bottleneck of the spec. */
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";
import type { CodebookStats, GaussianStats } from "./events.js";

/** A codebook whose perplexity is below this fraction of its size has collapsed. */
export const CODEBOOK_COLLAPSE_FRACTION = 0.05;

export function posteriorCollapsed(g: GaussianStats): boolean {
  return g.activeUnits === 0;
}

export function codebookCollapsed(c: CodebookStats): boolean {
  return c.perplexity < CODEBOOK_COLLAPSE_FRACTION * c.codes;
}

export function posteriorCollapseWarning(ir: IrModel, epoch: number, g: GaussianStats): Diagnostic {
  return diag(
    "AE3107",
    `posterior collapse at epoch ${epoch}: none of the ${g.units} latent units is active (KL ${g.kl.toPrecision(3)} nats in all)`,
    ir.bottleneck.span,
    { hint: "the decoder ignores the latent; lower kl beta, add a warmup, or set free_bits" },
  );
}

export function codebookCollapseWarning(ir: IrModel, epoch: number, c: CodebookStats): Diagnostic {
  return diag(
    "AE3108",
    `codebook collapse at epoch ${epoch}: perplexity ${c.perplexity.toFixed(1)} of ${c.codes} codes (${c.codesUsed} used; below ${CODEBOOK_COLLAPSE_FRACTION * 100}% of the codebook)`,
    ir.bottleneck.span,
    { hint: codebookHint(ir) },
  );
}

/** Suggests what the spec does not use yet. */
function codebookHint(ir: IrModel): string {
  const b = ir.bottleneck;
  const ideas: string[] = [];
  if (b.kind === "vq" && !b.restart) ideas.push("restart: true to re-seed dead codes");
  if (b.kind === "vq" && b.ema === null) ideas.push("ema: 0.99 codebook updates");
  ideas.push("fewer codes", "more epochs (usage often spreads as training goes on)");
  return `try ${ideas.join(", ")}`;
}
