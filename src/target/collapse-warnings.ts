/**
 * The collapse warnings of a run, from an epoch's latent statistics (its metrics.jsonl line), located at the
 * bottleneck of the spec; the same for every target that trains. `collapseWarnings` raises each once, when the
 * run first collapses. Since they are a function of metrics.jsonl, the run keeps them: `runWarnings` replays
 * the epochs of a run and gives each warning with the epoch it was raised at (the report marks them).
 */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { IrModel } from "../ir/model.js";
import type { AdversarialStats, CodebookStats, EpochMetrics, GaussianStats } from "./train-events.js";

/** A codebook whose perplexity is below this fraction of its size has collapsed. */
export const CODEBOOK_COLLAPSE_FRACTION = 0.05;
/** So has one with more than this share of its codes unused in an epoch (49 of 64 dead at perplexity 3.6 passed the first rule). */
export const CODEBOOK_DEAD_SHARE = 0.5;

const perplexityCollapsed = (c: CodebookStats) => c.perplexity < CODEBOOK_COLLAPSE_FRACTION * c.codes;
const mostlyDead = (c: CodebookStats) => c.codes - c.codesUsed > CODEBOOK_DEAD_SHARE * c.codes;

/** A latent that carries less than this many nats per example in all (its KL summed over units) tells the decoder almost nothing. */
export const COLLAPSE_TOTAL_NATS = 1;
/** A unit whose mean KL is below this many nats carries nothing, whatever the variance of its mean. */
export const INFORMATIVE_UNIT_NATS = 0.01;

/** Units of `g` that carry at least INFORMATIVE_UNIT_NATS. */
const informativeUnits = (g: GaussianStats) => g.klPerUnit.filter((k) => k >= INFORMATIVE_UNIT_NATS).length;

/** One latent (or one ladder level) that no unit uses: none active by the variance test, or none carrying INFORMATIVE_UNIT_NATS. */
const unitsCollapsed = (g: GaussianStats) => g.activeUnits === 0 || informativeUnits(g) === 0;

/**
 * Posterior collapse: the whole latent carries under COLLAPSE_TOTAL_NATS, or no unit of it is used
 * (unitsCollapsed); for a ladder (`levels` given) also any one level with no unit used.
 */
export function posteriorCollapsed(g: GaussianStats, levels?: readonly GaussianStats[]): boolean {
  return g.kl < COLLAPSE_TOTAL_NATS || unitsCollapsed(g) || (levels?.some(unitsCollapsed) ?? false);
}

export function codebookCollapsed(c: CodebookStats): boolean {
  return perplexityCollapsed(c) || mostlyDead(c);
}

export function posteriorCollapseWarning(ir: IrModel, epoch: number, g: GaussianStats, levels?: readonly GaussianStats[]): Diagnostic {
  if (levels !== undefined && levels.some(unitsCollapsed)) return ladderCollapseWarning(ir, epoch, levels);
  return diag("AE3107", `posterior collapse at epoch ${epoch}: ${latentFacts(g)}`, ir.bottleneck.span, {
    hint: "the decoder ignores the latent; lower kl beta, add a warmup, or set free_bits",
  });
}

/** What the statistics say of the whole latent, in the order of the rules: nats in all, the most informative unit, active units. */
function latentFacts(g: GaussianStats): string {
  const most = Math.max(0, ...g.klPerUnit);
  const total = `the latent carries ${g.kl.toPrecision(3)} nats in all${g.kl < COLLAPSE_TOTAL_NATS ? ` (under ${COLLAPSE_TOTAL_NATS} nat)` : ""}`;
  const informative = informativeUnits(g);
  const units =
    informative === 0
      ? `no unit carries ${INFORMATIVE_UNIT_NATS} nats (the most: ${most.toPrecision(2)})`
      : `${informative} of ${g.units} units carry ${INFORMATIVE_UNIT_NATS} nats or more (the most: ${most.toPrecision(3)})`;
  const active = g.activeUnits === 0 ? `none of the ${g.units} units is active` : `${g.activeUnits} of ${g.units} units pass the variance test of activity`;
  return `${total}; ${units}; ${active}`;
}

export function codebookCollapseWarning(ir: IrModel, epoch: number, c: CodebookStats): Diagnostic {
  const what = perplexityCollapsed(c)
    ? `perplexity ${c.perplexity.toFixed(1)} of ${c.codes} codes (${c.codesUsed} used; below ${CODEBOOK_COLLAPSE_FRACTION * 100}% of the codebook)`
    : `${c.codes - c.codesUsed} of ${c.codes} codes unused in the epoch (perplexity ${c.perplexity.toFixed(1)}; over half the codebook dead)`;
  return diag("AE3108", `codebook collapse at epoch ${epoch}: ${what}`, ir.bottleneck.span, { hint: codebookHint(ir) });
}

/** Located at the lowest collapsed level's `gaussian(k)`, the other collapsed levels related. */
function ladderCollapseWarning(ir: IrModel, epoch: number, levels: readonly GaussianStats[]): Diagnostic {
  const b = ir.bottleneck;
  const top = levels.length - 1;
  const collapsed = levels.flatMap((l, i) => (unitsCollapsed(l) ? [i] : []));
  const name = (i: number) => `level ${i}${i === top ? " (top)" : ""}`;
  const what = (i: number) => {
    const l = levels[i]!;
    const unused = l.activeUnits === 0 ? `none of ${l.units} units active` : `no unit of ${l.units} carries ${INFORMATIVE_UNIT_NATS} nats`;
    return `${name(i)}: ${unused}, KL ${l.kl.toPrecision(3)} nats`;
  };
  const spanOf = (i: number) => (b.kind === "ladder" ? b.levels[i]!.span : b.span);
  const first = collapsed[0] ?? 0;
  return diag("AE3107", `posterior collapse at epoch ${epoch} in the ladder: ${collapsed.map(what).join("; ")}`, spanOf(first), {
    related: collapsed.slice(1).map((i) => ({ span: spanOf(i), message: `${name(i)} collapsed too` })),
    hint: "a collapsed level passes nothing to the levels below; lower kl beta, lengthen the warmup, set free_bits, or drop the level",
  });
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

/** Codes of an adversarial model whose spread falls below this (the prior's is 1) have collapsed. */
export const CODE_COLLAPSE_SPREAD = 0.1;

export function codesCollapsed(s: AdversarialStats): boolean {
  return s.codeSpread < CODE_COLLAPSE_SPREAD;
}

/** The codes of an adversarial model far narrower than the prior (codesCollapsed), located at the adversarial term. */
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

/** Which collapses a run is in after an epoch; a warning is raised when one begins. */
export interface Collapsed {
  readonly posterior: boolean;
  readonly codebook: boolean;
  /** An adversarial model's codes narrower than the prior (AE3109); absent reads as false. */
  readonly spread?: boolean;
}

export const NOT_COLLAPSED: Collapsed = { posterior: false, codebook: false, spread: false };

/** The warnings of the epoch `m` for a run whose previous epoch was `before`, and the run's collapses after it. */
export function collapseWarnings(ir: IrModel, m: EpochMetrics, before: Collapsed): { readonly warnings: Diagnostic[]; readonly collapsed: Collapsed } {
  const warnings: Diagnostic[] = [];
  const posterior = m.gaussian !== undefined && posteriorCollapsed(m.gaussian, m.levels);
  const codebook = m.codebook !== undefined && codebookCollapsed(m.codebook);
  const spread = m.adversarial !== undefined && codesCollapsed(m.adversarial);
  if (posterior && !before.posterior) warnings.push(posteriorCollapseWarning(ir, m.epoch, m.gaussian!, m.levels));
  if (codebook && !before.codebook) warnings.push(codebookCollapseWarning(ir, m.epoch, m.codebook!));
  if (spread && before.spread !== true) warnings.push(codeCollapseWarning(ir, m.epoch, m.adversarial!));
  return { warnings, collapsed: { posterior, codebook, spread } };
}

/** The warnings a run raised, each with its epoch: its epochs (metrics.jsonl, in order) replayed through collapseWarnings. */
export function runWarnings(ir: IrModel, epochs: readonly EpochMetrics[]): { readonly epoch: number; readonly warning: Diagnostic }[] {
  const out: { epoch: number; warning: Diagnostic }[] = [];
  let state = NOT_COLLAPSED;
  for (const m of epochs) {
    const r = collapseWarnings(ir, m, state);
    for (const w of r.warnings) out.push({ epoch: m.epoch, warning: w });
    state = r.collapsed;
  }
  return out;
}
