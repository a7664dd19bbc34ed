/**
 * The adversarial term's epoch metrics, from the numbers each training step
 * reads (step.ts): the discriminator's loss and accuracy and the generator
 * loss as example-weighted means over the steps, and the spread of the
 * codes: the standard deviation of each latent unit over all the epoch's
 * training codes, averaged over the units (sums kept in float64).
 */
import type { AdversarialStats } from "./events.js";

/** What one training step reports. */
export interface AdversarialBatch {
  readonly discriminatorLoss: number;
  readonly accuracy: number;
  /** -log D(z), unweighted (the term's value / its weight); null when the weight is 0. */
  readonly generatorLoss: number | null;
  /** Codes in the batch. */
  readonly examples: number;
  /** Per latent unit, over the batch: the codes' sum and sum of squares. */
  readonly codeSum: readonly number[];
  readonly codeSumSq: readonly number[];
}

export class AdversarialMeter {
  private examples = 0;
  private discriminatorLoss = 0;
  private accuracy = 0;
  private generatorLoss: number | null = 0;
  private sum: Float64Array | null = null;
  private sumSq: Float64Array | null = null;

  add(b: AdversarialBatch): void {
    const n = b.examples;
    this.examples += n;
    this.discriminatorLoss += b.discriminatorLoss * n;
    this.accuracy += b.accuracy * n;
    this.generatorLoss = this.generatorLoss === null || b.generatorLoss === null ? null : this.generatorLoss + b.generatorLoss * n;
    this.sum ??= new Float64Array(b.codeSum.length);
    this.sumSq ??= new Float64Array(b.codeSum.length);
    for (let j = 0; j < b.codeSum.length; j++) {
      this.sum[j]! += b.codeSum[j]!;
      this.sumSq[j]! += b.codeSumSq[j]!;
    }
  }

  /** undefined before any step. */
  stats(): AdversarialStats | undefined {
    const n = this.examples;
    if (n === 0 || this.sum === null || this.sumSq === null) return undefined;
    let spread = 0;
    for (let j = 0; j < this.sum.length; j++) {
      const mean = this.sum[j]! / n;
      // Clamped: rounding can make E[z^2] - E[z]^2 slightly negative for constant codes.
      spread += Math.sqrt(Math.max(this.sumSq[j]! / n - mean * mean, 0));
    }
    return {
      discriminatorLoss: this.discriminatorLoss / n,
      discriminatorAccuracy: this.accuracy / n,
      generatorLoss: this.generatorLoss === null ? null : this.generatorLoss / n,
      codeSpread: spread / Math.max(this.sum.length, 1),
    };
  }
}
