import { CURVE_POINTS, type StepCurve } from "../run/metrics.js";

/**
 * An epoch's step curve (StepCurve in src/run/metrics.ts) as a trainer
 * builds it, step by step: the same windows for every target (the PyTorch
 * runtime's trainer.py keeps the same rule).
 */
export function curveWindow(steps: number): number {
  return Math.max(1, Math.ceil(steps / CURVE_POINTS));
}

export class StepCurveMeter {
  private readonly window: number;
  private readonly sums: number[][] = [];
  private readonly examples: number[] = [];
  private readonly ends: number[] = [];

  /** `epoch`: the epochs done before this one; `kinds`: the loss terms' names, in order. */
  constructor(
    private readonly kinds: readonly string[],
    private readonly steps: number,
    private readonly epoch: number,
  ) {
    this.window = curveWindow(steps);
  }

  /** Step `i` (0-based) of the epoch: its total, its terms in `kinds` order, over `size` examples. */
  add(i: number, total: number, terms: readonly number[], size: number): void {
    const w = Math.floor(i / this.window);
    if (this.sums[w] === undefined) {
      this.sums[w] = new Array<number>(1 + this.kinds.length).fill(0);
      this.examples[w] = 0;
    }
    const s = this.sums[w]!;
    s[0]! += total * size;
    terms.forEach((t, k) => (s[k + 1]! += t * size));
    this.examples[w]! += size;
    this.ends[w] = i + 1;
  }

  curve(): StepCurve {
    const mean = (k: number) => this.sums.map((s, w) => s[k]! / this.examples[w]!);
    return {
      at: this.ends.map((e) => Math.round((this.epoch + e / this.steps) * 1e6) / 1e6),
      examples: [...this.examples],
      total: mean(0),
      terms: Object.fromEntries(this.kinds.map((k, j) => [k, mean(j + 1)])),
    };
  }
}
