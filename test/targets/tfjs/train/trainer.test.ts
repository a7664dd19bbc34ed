import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EpochMetrics, GaussianStats } from "../../../../targets/tfjs/train/events.js";
import { posteriorCollapsed, posteriorCollapseWarning } from "../../../../src/target/collapse-warnings.js";
import { train, type TrainOptions } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, spec, standInModel, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const opts = (extra: Partial<TrainOptions> = {}): TrainOptions => ({ buildModel: standInModel, ...extra });

async function run(text: string, overrides: string[] = [], extra: Partial<TrainOptions> = {}) {
  const result = await train(irOf(text, overrides), opts(extra));
  result.model?.dispose();
  return result;
}

const metricsOf = (dir: string): EpochMetrics[] =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as EpochMetrics);

describe("a training run", () => {
  it("writes the run directory: spec, IR, one metrics line an epoch, a checkpoint", async () => {
    const dir = join(tempDir(), "run");
    const text = spec({ train: "data: lowrank(dim: 6, rank: 2, count: 96)\n    batch: 16\n    epochs: 3\n    seed: 3\n    validation: 0.25" });
    const r = await run(text, [], { outDir: dir, specText: text });
    expect(r.status).toBe("completed");
    expect(r.epochs).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(["checkpoint", "ir.json", "metrics.jsonl", "spec.aespec"]);
    expect(readFileSync(join(dir, "spec.aespec"), "utf8")).toBe(text);
    expect((JSON.parse(readFileSync(join(dir, "ir.json"), "utf8")) as { name: string }).name).toBe("m");
    expect(readdirSync(join(dir, "checkpoint")).sort()).toEqual(["checkpoint.json", "optimizer.bin", "weights.bin"]);
    const lines = metricsOf(dir);
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    for (const l of lines) {
      // 96 examples, 24 held out: 72 for training in batches of 16 -> 5 steps.
      expect(l.examples).toBe(72);
      expect(l.steps).toBe(5);
      expect(Object.keys(l.train.terms)).toEqual(["reconstruction"]);
      expect(l.train.total).toBeCloseTo(l.train.terms["reconstruction"]!, 5);
      expect(l.validation).not.toBeNull();
      expect(l.monitor.on).toBe("validation");
      expect(l.monitor.value).toBe(l.validation!.total);
      expect(l.examplesPerSecond).toBeGreaterThan(0);
    }
    // Adam at lr 1e-2 on a linear model of low-rank data: the loss falls.
    expect(lines[2]!.train.total).toBeLessThan(lines[0]!.train.total);
    expect(r.history).toEqual(lines);
  });

  it("logs each term, the KL per unit and active units for a Gaussian bottleneck", async () => {
    const text = spec({ bottleneck: "gaussian(3)", loss: "reconstruction(mse)\n    kl(beta: 1, warmup: 2)" });
    const steps: { epoch: number; step: number; kl: number; reconstruction: number; objective: number }[] = [];
    const r = await run(text, [], {
      onStep: (s) => steps.push({ epoch: s.epoch, step: s.step, kl: s.terms["kl"]!, reconstruction: s.terms["reconstruction"]!, objective: s.objective! }),
    });
    expect(r.status).toBe("completed");
    const [e1, e2, e3] = r.history as [EpochMetrics, EpochMetrics, EpochMetrics];
    expect(Object.keys(e1.train.terms)).toEqual(["reconstruction", "kl"]);
    expect(e1.train.total).toBeCloseTo(e1.train.terms["reconstruction"]! + e1.train.terms["kl"]!, 4);
    // Warm-up over 2 epochs of 6 steps: the weight at the last step of epoch 1 is (5/6) / 2.
    expect(e1.klWeight).toBeCloseTo(5 / 12, 10);
    expect(e2.klWeight).toBeCloseTo(11 / 12, 10);
    expect(e3.klWeight).toBe(1);
    expect(steps.length).toBe(18);
    // "kl" is the KL at its full weight at every step; the objective minimised weights it by the warm-up: 0 at the very first step.
    for (const [i, s] of steps.entries()) {
      expect(s.kl).toBeGreaterThan(0);
      const factor = Math.min(1, i / 6 / 2);
      expect(s.objective).toBeCloseTo(s.reconstruction + factor * s.kl, 4);
    }
    expect(steps[0]!.objective).toBeCloseTo(steps[0]!.reconstruction, 5);
    expect(e1.train.objective).toBeLessThan(e1.train.total);
    expect(e3.train.objective).toBeCloseTo(e3.train.total, 5);
    for (const e of r.history) {
      expect(e.statsOn).toBe("train");
      expect(e.gaussian!.units).toBe(3);
      expect(e.gaussian!.klPerUnit).toHaveLength(3);
      expect(e.gaussian!.kl).toBeCloseTo(
        e.gaussian!.klPerUnit.reduce((a, b) => a + b, 0),
        10,
      );
      expect(e.gaussian!.activeUnits).toBeGreaterThanOrEqual(0);
      expect(e.gaussian!.activeUnits).toBeLessThanOrEqual(3);
    }
    // The encoder's means of low-rank data spread out: units are active.
    expect(e3.gaussian!.activeUnits).toBeGreaterThan(0);
  });

  it("during a KL warm-up, train and validation log the same KL: one quantity under one name", async () => {
    // A warm-up of 50 epochs: in epoch 1 the objective weights the KL by at most 1/50, which the old log showed as "kl".
    const text = spec({
      bottleneck: "gaussian(3)",
      loss: "reconstruction(mse)\n    kl(beta: 1, warmup: 50)",
      train:
        "data: lowrank(dim: 6, rank: 2, count: 200)\n    batch: 20\n    epochs: 1\n    seed: 4\n    validation: 0.5\n    optimizer: sgd(lr: 1e-6, momentum: 0)",
    });
    const r = await run(text);
    const e = r.history[0]!;
    const [train, validation] = [e.train.terms["kl"]!, e.validation!.terms["kl"]!];
    // The same examples' distribution, a model that barely moves: the two agree within sampling noise.
    expect(train / validation).toBeGreaterThan(0.7);
    expect(train / validation).toBeLessThan(1.4);
    expect(e.validation!.objective).toBeUndefined();
    expect(e.train.objective).toBeLessThan(e.train.total);
  });

  it("logs perplexity and codes used for a VQ bottleneck, and warns when the codebook collapses", async () => {
    const text = spec({ bottleneck: "vq(codes: 64, dim: 2)", loss: "reconstruction(mse)\n    commitment(beta: 0.25)" });
    const warnings: string[] = [];
    const r = await run(text, [], { onWarning: (w) => warnings.push(w.code) });
    expect(r.status).toBe("completed");
    for (const e of r.history) {
      expect(e.codebook!.codes).toBe(64);
      expect(e.codebook!.codesUsed).toBeGreaterThanOrEqual(1);
      expect(e.codebook!.perplexity).toBeGreaterThanOrEqual(1);
      expect(e.codebook!.perplexity).toBeLessThanOrEqual(e.codebook!.codesUsed + 1e-9);
      expect(Object.keys(e.train.terms)).toEqual(["reconstruction", "commitment"]);
    }
    // 64 codes against 96 examples of a 2-d latent: collapse or not, the warning follows the measured perplexity and codes used.
    const collapsed = r.history.some((e) => e.codebook!.perplexity < 0.05 * 64 || 64 - e.codebook!.codesUsed > 32);
    expect(warnings.includes("AE3108")).toBe(collapsed);
  });

  it("AE3107 on total KL and KL per unit, not only on active units (the variance test alone missed 0.37 nats in 40 units)", () => {
    const ir = irOf(spec({ bottleneck: "gaussian(40)", loss: "reconstruction(mse)\n    kl()" }));
    const stats = (klPerUnit: number[], activeUnits: number): GaussianStats => ({
      klPerUnit,
      kl: klPerUnit.reduce((a, b) => a + b, 0),
      activeUnits,
      units: klPerUnit.length,
    });
    // The run: 0.37 nats in all, 25 of 40 units counted active by the variance of their means.
    const thin = stats(new Array(40).fill(0.37 / 40), 25);
    expect(posteriorCollapsed(thin)).toBe(true);
    const w = posteriorCollapseWarning(ir, 3, thin);
    expect(w.code).toBe("AE3107");
    expect(w.message).toContain("0.370 nats in all (under 1 nat)");
    expect(w.message).toContain("no unit carries 0.01 nats");
    expect(w.message).toContain("25 of 40 units pass the variance test");
    // Over 1 nat, but spread so thin that no unit carries 0.01 nats: 200 units of 0.009.
    expect(posteriorCollapsed(stats(new Array(200).fill(0.009), 200))).toBe(true);
    // Healthy: 20 nats in 3 units (the rest unused, as a VAE's are).
    expect(posteriorCollapsed(stats([12, 6, 2, ...new Array(37).fill(0.001)], 3))).toBe(false);
    // Over 1 nat in units that pass the KL floor but not the variance test: still collapsed (the old rule).
    expect(posteriorCollapsed(stats([1.5, 0.5], 0))).toBe(true);
  });

  it("warns once, at the bottleneck, when no latent unit is active", async () => {
    // A KL weight so large that every unit's posterior collapses onto the prior.
    const text = spec({
      bottleneck: "gaussian(2)",
      loss: "reconstruction(mse)\n    kl(beta: 500)",
      train: "data: lowrank(dim: 6, rank: 2, count: 96)\n    optimizer: adam(lr: 0.05)\n    batch: 16\n    epochs: 4\n    seed: 3",
    });
    const r = await run(text);
    expect(r.status).toBe("completed");
    const last = r.history[r.history.length - 1]!;
    expect(last.gaussian!.activeUnits).toBe(0);
    const w = r.diagnostics.filter((d) => d.code === "AE3107");
    expect(w).toHaveLength(1);
    expect(text.slice(w[0]!.span.start, w[0]!.span.end)).toBe("gaussian(2)");
  });

  it("keeps memory flat: the same number of tensors after every epoch", async () => {
    const counts: number[] = [];
    const text = spec({
      bottleneck: "gaussian(2)",
      loss: "reconstruction(mse)\n    kl()",
      train: "data: lowrank(dim: 6, rank: 2, count: 64)\n    batch: 8\n    epochs: 8\n    validation: 0.25",
    });
    const before = tf.memory().numTensors;
    const r = await train(irOf(text), opts({ outDir: join(tempDir(), "run"), onEpoch: () => counts.push(tf.memory().numTensors) }));
    expect(r.status).toBe("completed");
    expect(counts).toHaveLength(8);
    expect(new Set(counts).size).toBe(1);
    r.model!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stops early when the monitored total has not improved for `early_stop` epochs", async () => {
    // A learning rate so small that the weights do not move: validation totals repeat exactly.
    const text = spec({
      train: "data: lowrank(dim: 6, rank: 2, count: 64)\n    optimizer: sgd(lr: 1e-30)\n    batch: 16\n    epochs: 20\n    validation: 0.25\n    early_stop: 2",
    });
    const r = await run(text);
    expect(r.status).toBe("early_stopped");
    expect(r.epochs).toBe(3);
    expect(r.history.map((e) => e.monitor.bestEpoch)).toEqual([1, 1, 1]);
  });

  it("stops at an aborted signal without writing a partial epoch", async () => {
    const dir = join(tempDir(), "run");
    const controller = new AbortController();
    const r = await run(spec(), [], { outDir: dir, signal: controller.signal, onStep: (s) => s.epoch === 2 && s.step === 2 && controller.abort() });
    expect(r.status).toBe("aborted");
    expect(r.epochs).toBe(1);
    expect(metricsOf(dir).map((l) => l.epoch)).toEqual([1]);
  });
});

describe("the run directory", () => {
  it("is never written through a symbolic link planted in it", async () => {
    const outside = join(tempDir(), "outside.txt");
    writeFileSync(outside, "precious\n");
    const dir = join(tempDir(), "run");
    mkdirSync(dir);
    for (const name of ["metrics.jsonl", "ir.json", "spec.aespec", "metrics.jsonl.tmp-" + process.pid]) symlinkSync(outside, join(dir, name));
    const r = await run(spec(), ["train.epochs=1"], { outDir: dir, specText: "spec" });
    expect(r.status).toBe("completed");
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    for (const name of ["metrics.jsonl", "ir.json", "spec.aespec"]) expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, "spec.aespec"), "utf8")).toBe("spec");
  });

  it("a write that fails stops the run with a located error, not an exception", async () => {
    const dir = join(tempDir(), "run");
    mkdirSync(join(dir, "metrics.jsonl"), { recursive: true }); // a folder where the file must go
    const r = await run(spec(), [], { outDir: dir });
    expect(r.status).toBe("failed");
    expect(r.epochs).toBe(1);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3106"]);
    expect(r.diagnostics[0]!.message).toContain("cannot write to");
  });
});

describe("refusals before training", () => {
  it("a spec without data, at the model", async () => {
    const text = spec({ train: "batch: 16" });
    const r = await run(text);
    expect(r.status).toBe("refused");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3101"]);
    expect(text.slice(r.diagnostics[0]!.span.start).startsWith("model m")).toBe(true);
  });

  it("an unsupported term, before anything is written", async () => {
    const dir = join(tempDir(), "run");
    // The contractive term cannot see through a layernorm in the encoder.
    const r = await run(
      spec({ loss: "reconstruction(mse)\n    contractive(weight: 1)" }).replace("  bottleneck:", "  encoder { dense(4) layernorm }\n  bottleneck:"),
      [],
      { outDir: dir },
    );
    expect(r.status).toBe("refused");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3102"]);
    expect(existsSync(dir)).toBe(false);
  });

  it("a fresh run into a folder that holds a trained run", async () => {
    const dir = join(tempDir(), "run");
    expect((await run(spec(), ["train.epochs=1"], { outDir: dir })).status).toBe("completed");
    const again = await run(spec(), ["train.epochs=1"], { outDir: dir });
    expect(again.status).toBe("refused");
    expect(again.diagnostics.map((d) => d.code)).toEqual(["AE3106"]);
    expect(again.diagnostics[0]!.hint).toContain("--resume");
  });

  it("resuming where there is no checkpoint", async () => {
    const r = await run(spec(), [], { outDir: join(tempDir(), "empty"), resume: true });
    expect(r.status).toBe("refused");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3105"]);
  });
});
