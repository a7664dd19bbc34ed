/**
 * src/run/lr-schedule.ts against the formulas of docs/language.md
 * ("Learning-rate schedules"), written out here apart from the code, and
 * the invariants every schedule keeps (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LrSchedule } from "../../src/ir/train.js";
import { learningRateAt } from "../../src/run/lr-schedule.js";

const span = { file: "t", start: 0, end: 0 };
const constant = (warmup = 0): LrSchedule => ({ kind: "constant", warmup, span: null });
const step = (every: number, factor: number, warmup = 0): LrSchedule => ({ kind: "step", every, factor, warmup, span });
const cosine = (min: number, warmup = 0): LrSchedule => ({ kind: "cosine", min, warmup, span });
const clock = { stepsPerEpoch: 10, epochs: 5 };
const rates = (s: LrSchedule, lr: number, c = clock) => Array.from({ length: c.epochs * c.stepsPerEpoch }, (_, k) => learningRateAt(s, lr, k, c));

describe("learning-rate schedules", () => {
  it("constant: lr at every step; warmup(epochs: 2) rises as (k + 1) / 20, then stays", () => {
    expect(rates(constant(), 0.1).every((r) => r === 0.1)).toBe(true);
    const w = rates(constant(2), 0.1);
    for (let k = 0; k < 50; k++) expect(w[k]).toBeCloseTo(0.1 * Math.min(1, (k + 1) / 20), 12);
    expect(w[0]).toBeGreaterThan(0);
  });

  it("step(every: 2, factor: 0.5): lr, lr, lr/2, lr/2, lr/4 by epoch", () => {
    const r = rates(step(2, 0.5), 1);
    const byEpoch = [0, 1, 2, 3, 4].map((e) => r.slice(e * 10, e * 10 + 10));
    expect(byEpoch.map((e) => new Set(e).size)).toEqual([1, 1, 1, 1, 1]);
    expect(byEpoch.map((e) => e[0])).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it("cosine(min): lr at the first step after the warm-up, min + (lr - min)(1 + cos(pi p)) / 2 after, near min at the last", () => {
    const lr = 0.01;
    const min = 1e-4;
    const r = rates(cosine(min, 1), lr);
    for (let k = 0; k < 10; k++) expect(r[k]).toBeCloseTo(lr * ((k + 1) / 10), 12);
    for (let k = 10; k < 50; k++) expect(r[k]).toBeCloseTo(min + (lr - min) * 0.5 * (1 + Math.cos((Math.PI * (k - 10)) / 40)), 12);
    expect(r[10]).toBeCloseTo(lr, 12);
    expect(r[49]! - min).toBeLessThan(0.002 * (lr - min));
  });

  it("any schedule: positive, never above lr, and non-increasing once its warm-up is over", () => {
    const schedule = fc.oneof(
      fc.record({ kind: fc.constant("constant" as const), warmup: fc.double({ min: 0, max: 4, noNaN: true }), span: fc.constant(null) }),
      fc.record({
        kind: fc.constant("step" as const),
        every: fc.integer({ min: 1, max: 5 }),
        factor: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        warmup: fc.double({ min: 0, max: 4, noNaN: true }),
        span: fc.constant(span),
      }),
      fc.record({
        kind: fc.constant("cosine" as const),
        min: fc.double({ min: 0, max: 0.009, noNaN: true }),
        warmup: fc.double({ min: 0, max: 4, noNaN: true }),
        span: fc.constant(span),
      }),
    );
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 5, max: 12 }), (s, stepsPerEpoch, epochs) => {
        const lr = 0.01;
        const c = { stepsPerEpoch, epochs };
        const r = rates(s as LrSchedule, lr, c);
        const warmEnd = Math.ceil(s.warmup * stepsPerEpoch) - 1;
        for (let k = 0; k < r.length; k++) {
          expect(r[k]!).toBeGreaterThan(0);
          expect(r[k]!).toBeLessThanOrEqual(lr * (1 + 1e-12));
          if (k - 1 >= warmEnd && k > 0) expect(r[k]!).toBeLessThanOrEqual(r[k - 1]! * (1 + 1e-12));
        }
      }),
      { numRuns: 300 },
    );
  });
});
