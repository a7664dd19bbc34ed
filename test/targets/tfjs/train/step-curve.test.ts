import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CURVE_POINTS, parseEpochLine, type EpochMetrics } from "../../../../src/run/metrics.js";
import { curveWindow, StepCurveMeter } from "../../../../src/target/step-curve.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, spec, standInModel, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** The training losses within an epoch (metrics.jsonl's `curve`), for curves finer than an epoch. */
describe("the step curve", () => {
  it("windows of ceil(steps / 50) steps, the last shorter, each an example-weighted mean", () => {
    expect([1, 50, 51, 100, 469].map(curveWindow)).toEqual([1, 1, 2, 2, 10]);
    const m = new StepCurveMeter(["reconstruction"], 5, 3);
    // 5 steps in windows of 1 (5 <= 50)
    [10, 20, 30, 40, 50].forEach((t, i) => m.add(i, t, [t / 2], i === 4 ? 4 : 8));
    expect(m.curve()).toEqual({
      at: [3.2, 3.4, 3.6, 3.8, 4],
      examples: [8, 8, 8, 8, 4],
      total: [10, 20, 30, 40, 50],
      terms: { reconstruction: [5, 10, 15, 20, 25] },
    });
    const big = new StepCurveMeter([], 101, 0); // windows of 3: 34 of them, the last 2 steps
    for (let i = 0; i < 101; i++) big.add(i, i, [], i === 100 ? 1 : 2);
    const c = big.curve();
    expect(c.at).toHaveLength(34);
    expect(c.at.at(-1)).toBe(1);
    expect(c.examples.at(-1)).toBe(3); // steps 99 (2 examples) and 100 (1)
    expect(c.total[0]).toBe(1); // (0 + 1 + 2) * 2 / 6
    expect(c.total.at(-1)).toBeCloseTo((99 * 2 + 100) / 3, 12);
  });

  it("a tfjs run logs one per epoch, at most 50 points, averaging to the epoch's mean", async () => {
    const dir = join(tempDir(), "run");
    // 240 training examples in batches of 2: 120 steps, windows of 3, 40 points an epoch.
    const text = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 240)\n    batch: 2\n    epochs: 2\n    seed: 3" });
    const r = await train(irOf(text), { buildModel: standInModel, outDir: dir, specText: text });
    r.model?.dispose();
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n");
    const epochs = lines.map((l) => parseEpochLine(l) as EpochMetrics);
    expect(epochs.map((e) => e.curve!.at.length)).toEqual([40, 40]);
    for (const e of epochs) {
      const c = e.curve!;
      expect(c.at.length).toBeLessThanOrEqual(CURVE_POINTS);
      expect(c.at[0]).toBeCloseTo(e.epoch - 1 + 3 / 120, 6);
      expect(c.at.at(-1)).toBe(e.epoch);
      expect(c.examples.reduce((s, n) => s + n, 0)).toBe(e.examples);
      const mean = (xs: readonly number[]) => xs.reduce((s, x, w) => s + x * c.examples[w]!, 0) / e.examples;
      expect(mean(c.total)).toBeCloseTo(e.train.total, 9);
      for (const [k, v] of Object.entries(c.terms)) expect(mean(v)).toBeCloseTo(e.train.terms[k]!, 9);
    }
    // A curve whose lists disagree is not an epoch's metrics.
    const broken = JSON.parse(lines[0]!) as Record<string, unknown> & { curve: { total: number[] } };
    broken.curve.total.pop();
    expect(parseEpochLine(JSON.stringify(broken))).toBe("curve's lists differ in length");
  });
});
