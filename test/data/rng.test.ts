import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, isRngState, permutation } from "../../src/data/rng.js";

function draws(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => r.next());
}

describe("Rng", () => {
  it("the same seed gives the same stream; another seed or stream another one", () => {
    const a = draws(new Rng(7), 100);
    expect(draws(new Rng(7), 100)).toEqual(a);
    expect(draws(new Rng(8), 100)).not.toEqual(a);
    expect(draws(new Rng(7, "test"), 100)).not.toEqual(a);
    expect(draws(new Rng(7 + 2 ** 32), 100)).not.toEqual(a);
    expect(draws(new Rng(-7), 100)).not.toEqual(a);
  });

  it("matches the C reference of sfc32 (tmp = a + b + counter++), from state 1, 2, 3, 4", () => {
    // Expected values printed by the reference C code of PractRand's sfc32, compiled separately.
    const r = Rng.fromState({ words: [1, 2, 3, 4], spare: null });
    expect(Array.from({ length: 5 }, () => r.nextUint32())).toEqual([7, 34, 56623200, 188882296, 3431242869]);
  });

  it("a saved state, through JSON, continues the stream exactly (a pending normal included)", () => {
    const r = new Rng(123);
    draws(r, 17);
    r.normal(); // leaves the pair's second value pending
    const saved = JSON.parse(JSON.stringify(r.state()));
    expect(saved.spare).not.toBeNull();
    const mixed = (g: Rng) => Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? g.normal() : i % 3 === 1 ? g.next() : g.int(1000)));
    const expected = mixed(r);
    expect(mixed(Rng.fromState(saved))).toEqual(expected);
    const other = new Rng(999);
    other.setState(saved);
    expect(mixed(other)).toEqual(expected);
  });

  it("next() is in [0, 1) with mean 1/2", () => {
    const xs = draws(new Rng(1), 100000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.005);
  });

  it("normal() has mean 0 and variance 1 over 1e5 draws, and Gaussian tails", () => {
    const r = new Rng(2);
    const n = 100000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) > 2) beyond2++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // Standard errors: mean 0.0032, variance 0.0045, kurtosis about 0.025.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2);
  });

  it("int(n) is uniform on 0..n-1 (chi-square) and int(1) is 0", () => {
    const r = new Rng(3);
    const counts = new Array(10).fill(0);
    const n = 100000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const chi2 = counts.reduce((a, c) => a + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // 99.9% quantile, 9 degrees of freedom
    expect(r.int(1)).toBe(0);
    const big = r.int(2 ** 32);
    expect(Number.isInteger(big) && big >= 0 && big < 2 ** 32).toBe(true);
  });

  it("int(n) has no modulo bias even for n near 2^32", () => {
    // n = 3 * 2^30: a plain u32 % n would make 0..2^30-1 come up half the time instead of a third.
    const r = new Rng(6);
    const n = 3 * 2 ** 30;
    let low = 0;
    for (let i = 0; i < 30000; i++) if (r.int(n) < 2 ** 30) low++;
    expect(Math.abs(low / 30000 - 1 / 3)).toBeLessThan(0.02);
  });

  it("isRngState accepts states and rejects anything else", () => {
    expect(isRngState(new Rng(5).state())).toBe(true);
    expect(isRngState({ words: [1, 2, 3], spare: null })).toBe(false);
    expect(isRngState({ words: [1, 2, 3, 2 ** 32], spare: null })).toBe(false);
    expect(isRngState({ words: [1, 2, 3, 4], spare: NaN })).toBe(false);
    expect(isRngState(null)).toBe(false);
  });
});

describe("permutation", () => {
  it("is a permutation of 0..n-1, and the same for the same seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 40 }), (n, seed) => {
        const p = permutation(n, new Rng(seed));
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(permutation(n, new Rng(seed))).toEqual(p);
      }),
    );
  });

  it("draws the 6 orders of 3 items equally often", () => {
    const r = new Rng(4);
    const counts = new Map<string, number>();
    const n = 60000;
    for (let i = 0; i < n; i++) {
      const key = permutation(3, r).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - n / 6)).toBeLessThan(400); // about 4 standard deviations
  });
});
