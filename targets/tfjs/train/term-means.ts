/** Example-weighted means of the batch losses over a pass. */
import type { LossKind } from "../../../src/ir/losses.js";
import type { TermMeans } from "./events.js";
import type { BatchLosses } from "./step.js";

export class TermAccumulator {
  private examples = 0;
  private total = 0;
  private objective = 0;
  private readonly sums: number[];

  /** `withObjective`: report the scheduled objective too (training a model whose KL warms up). */
  constructor(
    private readonly kinds: readonly LossKind[],
    private readonly withObjective = false,
  ) {
    this.sums = kinds.map(() => 0);
  }

  /** Each batch value is a mean over its examples: weighting by size gives the mean over all examples. */
  add(l: BatchLosses, size: number): void {
    this.examples += size;
    this.total += l.total * size;
    this.objective += l.objective * size;
    l.terms.forEach((v, i) => (this.sums[i]! += v * size));
  }

  means(): TermMeans {
    const n = Math.max(this.examples, 1);
    const terms: Record<string, number> = {};
    this.kinds.forEach((k, i) => (terms[k] = this.sums[i]! / n));
    return this.withObjective ? { total: this.total / n, terms, objective: this.objective / n } : { total: this.total / n, terms };
  }
}

/** A batch's losses keyed by term kind (for step events). */
export function namedTerms(kinds: readonly LossKind[], l: BatchLosses): Record<string, number> {
  const out: Record<string, number> = {};
  kinds.forEach((k, i) => (out[k] = l.terms[i]!));
  return out;
}
