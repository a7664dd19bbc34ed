/** The live warnings of a run, located at the bottleneck of the spec. */
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";
import { CODE_COLLAPSE_SPREAD } from "./adversarial-metrics.js";
import type { AdversarialStats, CodebookStats, GaussianStats } from "./events.js";

/** A codebook whose perplexity is below this fraction of its size has collapsed. */
export const CODEBOOK_COLLAPSE_FRACTION = 0.05;

/** No active unit: in the whole latent, or, for a ladder (`levels` given), at any one level. */
export function posteriorCollapsed(g: GaussianStats, levels?: readonly GaussianStats[]): boolean {
  return levels !== undefined ? levels.some((l) => l.activeUnits === 0) : g.activeUnits === 0;
}

export function codebookCollapsed(c: CodebookStats): boolean {
  return c.perplexity < CODEBOOK_COLLAPSE_FRACTION * c.codes;
}

export function posteriorCollapseWarning(ir: IrModel, epoch: number, g: GaussianStats, levels?: readonly GaussianStats[]): Diagnostic {
  if (levels !== undefined) return ladderCollapseWarning(ir, epoch, levels);
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

/** Located at the lowest collapsed level's `gaussian(k)`, the other collapsed levels related. */
function ladderCollapseWarning(ir: IrModel, epoch: number, levels: readonly GaussianStats[]): Diagnostic {
  const b = ir.bottleneck;
  const top = levels.length - 1;
  const collapsed = levels.flatMap((l, i) => (l.activeUnits === 0 ? [i] : []));
  const name = (i: number) => `level ${i}${i === top ? " (top)" : ""}`;
  const what = (i: number) => `${name(i)}: none of ${levels[i]!.units} units active, KL ${levels[i]!.kl.toPrecision(3)} nats`;
  const spanOf = (i: number) => (b.kind === "ladder" ? b.levels[i]!.span : b.span);
  const first = collapsed[0] ?? 0;
  return diag("AE3107", `posterior collapse at epoch ${epoch} in the ladder: ${collapsed.map(what).join("; ")}`, spanOf(first), {
    related: collapsed.slice(1).map((i) => ({ span: spanOf(i), message: `${name(i)} collapsed too` })),
    hint: "a collapsed level passes nothing to the levels below; lower kl beta, lengthen the warmup, set free_bits, or drop the level",
  });
}

/** The codes of an adversarial model far narrower than the prior (adversarial-metrics.ts), located at the adversarial term. */
export function codeCollapseWarning(ir: IrModel, epoch: number, a: AdversarialStats): Diagnostic {
  const term = ir.losses.find((t) => t.kind === "adversarial");
  return diag(
    "AE3109",
    `code collapse at epoch ${epoch}: the codes' spread is ${a.codeSpread.toPrecision(3)} (mean standard deviation of a latent unit; the prior's is 1, collapse below ${CODE_COLLAPSE_SPREAD})`,
    term?.span ?? ir.bottleneck.span,
    {
      related: [{ span: ir.bottleneck.span, message: "the codes come from this bottleneck" }],
      hint: `the codes no longer fill the prior, so its samples decode poorly; try a larger adversarial weight or discriminator lr (discriminator accuracy this epoch: ${a.discriminatorAccuracy.toFixed(2)})`,
    },
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
