import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codebookUsage, usageHistogram } from "../../src/metrics/codebook-usage.js";

describe("codebook usage", () => {
  it("counts the codes chosen", () => {
    expect(Array.from(usageHistogram([0, 2, 2, 3, 2], 5))).toEqual([1, 0, 3, 1, 0]);
  });

  it("uniform usage: perplexity = the number of codes, entropy log K, no dead codes", () => {
    const u = codebookUsage([7, 7, 7, 7, 7, 7, 7, 7])!;
    expect(u.perplexity).toBeCloseTo(8, 12);
    expect(u.entropy).toBeCloseTo(Math.log(8), 12);
    expect(u.dead).toBe(0);
    expect(u.used).toBe(8);
  });

  it("one-hot usage: perplexity 1, every other code dead", () => {
    const u = codebookUsage([0, 0, 12, 0])!;
    expect(u.perplexity).toBe(1);
    expect(u.entropy).toBe(0);
    expect(u.dead).toBe(3);
  });

  it("a hand case: usage (1/2, 1/4, 1/4) has entropy 1.5 log 2", () => {
    expect(codebookUsage([2, 1, 1, 0])!.entropy).toBeCloseTo(1.5 * Math.log(2), 12);
  });

  it("perplexity lies between 1 and the codes used", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 40 }), (counts) => {
        const u = codebookUsage(counts);
        if (counts.every((c) => c === 0)) {
          expect(u).toBeNull();
          return;
        }
        expect(u!.perplexity).toBeGreaterThanOrEqual(1 - 1e-12);
        expect(u!.perplexity).toBeLessThanOrEqual(u!.used + 1e-9);
        expect(u!.used + u!.dead).toBe(counts.length);
      }),
    );
  });
});
