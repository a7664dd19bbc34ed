/**
 * Training a ladder VAE: the KL of each level against its own prior, the kl
 * term over levels, the per-level statistics and warnings, gradients, and
 * short real runs (specs/vae.aespec ladder_vae, resume).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import type { Forward, LadderLevelOut, TfModel } from "../../../../targets/tfjs/model-api.js";
import type { EpochMetrics, GaussianStats } from "../../../../targets/tfjs/train/events.js";
import { latentStats } from "../../../../targets/tfjs/train/latent-stats.js";
import { LOSS_HANDLERS, lossTerms, unsupportedTerms, type LossContext } from "../../../../targets/tfjs/train/losses/index.js";
import { gaussianKl, gaussianToGaussianKl } from "../../../../targets/tfjs/train/losses/kl.js";
import { epochLine } from "../../../../src/target/progress.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { posteriorCollapsed, posteriorCollapseWarning } from "../../../../src/target/collapse-warnings.js";
import { expectClose } from "../ops/tf-helpers.js";
import { irOf, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const root = resolve(import.meta.dirname, "../../../..");
const vaeText = readFileSync(resolve(root, "specs/vae.aespec"), "utf8");

const tiny = (opts: { units?: readonly number[]; skip?: boolean; loss?: string; train?: string; encoder?: string } = {}) => `model l {
  input: [5]
  ${opts.encoder ?? ""}
  bottleneck: ladder(skip: ${opts.skip ?? true}) { ${(opts.units ?? [3, 2]).map((u) => `gaussian(${u})`).join(" ")} }
  decoder { dense(5) }
  loss { ${opts.loss ?? "reconstruction(mse) kl()"} }
  train { ${opts.train ?? "data: lowrank(dim: 5, rank: 2, count: 48)\n batch: 16\n epochs: 2\n seed: 4"} }
}`;

const scalar = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

const forwardOf = (levels: LadderLevelOut[]): Forward => {
  const x = tf.zeros([levels[0]!.mean.shape[0]!, 5]);
  return { input: x, encoderInput: x, latent: levels[0]!.mean, reconstruction: x, gaussian: null, vq: null, ladder: { levels } };
};

const ctxOf = (forward: Forward, progress: number, model: TfModel | null = null): LossContext => ({
  forward,
  progress,
  training: true,
  rng: new Rng(1, "test"),
  model: model as unknown as TfModel,
});

describe("KL between two Gaussians", () => {
  it("matches a Monte Carlo estimate of E_q[log q(z) - log p(z)] for each unit", () => {
    const mu = [0.5, -1.2, 0, 2];
    const logVar = [0, 0.6, -1.5, 1];
    const priorMu = [-0.3, -1, 1, 0.5];
    const priorLogVar = [0.4, -0.5, 0, 1.3];
    const closed = tf.tidy(
      () => gaussianToGaussianKl(tf.tensor2d([mu]), tf.tensor2d([logVar]), tf.tensor2d([priorMu]), tf.tensor2d([priorLogVar])).arraySync()[0]!,
    );
    const rng = new Rng(12, "kl-monte-carlo");
    const n = 200_000;
    mu.forEach((m, j) => {
      const sigma = Math.exp(0.5 * logVar[j]!);
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        const eps = rng.normal();
        const z = m + sigma * eps;
        // log N(z; m, sigma^2) - log N(z; m_p, sigma_p^2): the 2 pi terms cancel.
        const d = z - priorMu[j]!;
        const sample = -0.5 * logVar[j]! - 0.5 * eps * eps + 0.5 * priorLogVar[j]! + (0.5 * d * d) / Math.exp(priorLogVar[j]!);
        sum += sample;
        sumSq += sample * sample;
      }
      const mean = sum / n;
      const stderr = Math.sqrt((sumSq / n - mean * mean) / n);
      expect(Math.abs(closed[j]! - mean), `unit ${j}`).toBeLessThan(5 * stderr);
      expect(stderr).toBeLessThan(0.02); // a 0.1 nat error would fail
    });
  });

  it("is zero between equal Gaussians and is gaussianKl against N(0, 1)", () => {
    const [same, against, standard] = tf.tidy(() => {
      const m = tf.tensor2d([
        [0.3, -2],
        [1, 0],
      ]);
      const lv = tf.tensor2d([
        [0.5, -1],
        [0, 2],
      ]);
      return [gaussianToGaussianKl(m, lv, m, lv), gaussianToGaussianKl(m, lv, tf.zerosLike(m), tf.zerosLike(lv)), gaussianKl(m, lv)];
    });
    expectClose(Array.from(same!.dataSync()), [0, 0, 0, 0], { atol: 1e-6 });
    expectClose(Array.from(against!.dataSync()), Array.from(standard!.dataSync()), { atol: 1e-6 });
    tf.dispose([same!, against!, standard!]);
  });
});

describe("the kl term of a ladder", () => {
  // Level 1 (top): mu 1, lv 0 against N(0, 1): 0.5 a unit. Level 0: mu 1, lv 0 against N(0, 2):
  // 0.5 (log 2 - 0 + (1 + 1) / 2 - 1) = 0.5 log 2 a unit; with free bits 0.3 the top's units count 0.5 each,
  // level 0's units 0.3466 each.
  const levels = () => [
    { mean: tf.ones([2, 3]), logVar: tf.zeros([2, 3]), priorMean: tf.zeros([2, 3]), priorLogVar: tf.fill([2, 3], Math.log(2)) },
    { mean: tf.ones([2, 2]), logVar: tf.zeros([2, 2]), priorMean: null, priorLogVar: null },
  ];

  it("sums every level's KL against its own prior, with one beta and one warm-up", () => {
    const ir = irOf(tiny({ loss: "reconstruction(mse) kl(beta: 2, warmup: 4)" }));
    expect(unsupportedTerms(ir)).toEqual([]);
    const term = ir.losses.find((t) => t.kind === "kl")!;
    if (term.kind !== "kl") throw new Error("no kl term");
    const f = forwardOf(levels());
    const kl = (progress: number) => scalar(tf.tidy(() => LOSS_HANDLERS.kl.value(term, ctxOf(f, progress), ir)));
    const unweighted = 3 * 0.5 * Math.log(2) + 2 * 0.5;
    expect(kl(Infinity)).toBeCloseTo(2 * unweighted, 5);
    expect(kl(1)).toBeCloseTo(2 * unweighted, 5);
    expect(LOSS_HANDLERS.kl.schedule!(term, 1)).toBe(0.25);
    tf.dispose([f.input, ...f.ladder!.levels.flatMap((l) => [l.mean, l.logVar, l.priorMean, l.priorLogVar].filter((t) => t !== null))]);
  });

  it("applies free bits per unit and per level", () => {
    const ir = irOf(tiny({ loss: "reconstruction(mse) kl(free_bits: 0.4)" }));
    const term = ir.losses.find((t) => t.kind === "kl")!;
    if (term.kind !== "kl") throw new Error("no kl term");
    const f = forwardOf(levels());
    const v = scalar(tf.tidy(() => LOSS_HANDLERS.kl.value(term, ctxOf(f, Infinity), ir)));
    // Level 0's units are below the floor (0.3466 < 0.4), the top's above it.
    expect(v).toBeCloseTo(3 * 0.4 + 2 * 0.5, 5);
    tf.dispose([f.input, ...f.ladder!.levels.flatMap((l) => [l.mean, l.logVar, l.priorMean, l.priorLogVar].filter((t) => t !== null))]);
  });
});

describe("a one-level ladder", () => {
  it("is the VAE whose encoder ends with its `up` map and elu, with the same weights: forward and loss", () => {
    const loss = "reconstruction(gaussian) kl(beta: 2, free_bits: 0.05)";
    const ladder = createModel(irOf(tiny({ units: [3], loss })), new Rng(1, "init"));
    const vaeIr = irOf(`model v {
  input: [5]
  encoder { dense(6) elu }
  bottleneck: gaussian(3)
  decoder { dense(5) }
  loss { ${loss} }
}`);
    const vae = createModel(vaeIr, new Rng(2, "init"));
    const pairs: [string, string][] = [
      ["encoder.0", "bottleneck.level0.up"],
      ["bottleneck.mean", "bottleneck.level0.q_mean"],
      ["bottleneck.logvar", "bottleneck.level0.q_logvar"],
      ["decoder.0", "decoder.0"],
    ];
    expect(vae.trainable.length).toBe(ladder.trainable.length);
    for (const [to, from] of pairs) {
      for (const part of ["kernel", "bias"]) {
        const source = ladder.trainable.find((v) => v.name === `${from}.${part}`)!.variable;
        // Non-zero biases, so a bias read in the wrong place shows.
        if (part === "bias") source.assign(tf.tidy(() => tf.add(source, tf.linspace(-0.3, 0.4, source.size))));
        vae.trainable.find((v) => v.name === `${to}.${part}`)!.variable.assign(source);
      }
    }
    const x = tf.tidy(() => tf.mul(tf.sin(tf.reshape(tf.range(0, 20), [4, 5])), 2));
    for (const training of [true, false]) {
      const run = (m: TfModel, ir: IrModel) =>
        tf.tidy(() => {
          const f = m.forward(x, { training, rng: new Rng(3, "train") });
          const terms = lossTerms(ir, { forward: f, progress: Infinity, training, rng: new Rng(4, "loss"), model: m });
          const posterior = f.gaussian ?? f.ladder!.levels[0]!;
          return {
            latent: f.latent.arraySync(),
            mean: posterior.mean.arraySync(),
            logVar: posterior.logVar.arraySync(),
            reconstruction: f.reconstruction.arraySync(),
            terms: terms.map((t) => t.value.dataSync()[0]!),
          };
        });
      const a = run(ladder, ladder.ir);
      const b = run(vae, vaeIr);
      expect(a.terms[1]!).toBeGreaterThan(0.05 * 3 * 2); // the KL is above its free-bits floor: the comparison has power
      for (const k of ["latent", "mean", "logVar", "reconstruction", "terms"] as const) {
        expectClose((a[k] as number[] | number[][]).flat(), (b[k] as number[] | number[][]).flat(), { atol: 1e-6, rtol: 1e-5 });
      }
    }
    x.dispose();
    ladder.dispose();
    vae.dispose();
  });
});

describe("gradient of the ladder loss", () => {
  for (const [units, skip] of [
    [[3, 2], false],
    [[3, 2, 2], true],
  ] as const) {
    it(`matches central finite differences (${units.length} levels, skip ${skip}), sampling included`, () => {
      const ir = irOf(tiny({ units, skip, encoder: "encoder { dense(4) tanh }", loss: "reconstruction(mse) kl(beta: 0.7)" }));
      const model = createModel(ir, new Rng(5, "init"));
      for (const v of model.trainable) if (v.name.endsWith(".bias")) v.variable.assign(tf.tidy(() => tf.mul(tf.cos(tf.range(0, v.variable.size)), 0.2)));
      const x = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 15), [3, 5])));
      // Every evaluation draws the same noise: the loss is a smooth function of the weights.
      const loss = () =>
        tf.addN(
          lossTerms(ir, {
            forward: model.forward(x, { training: true, rng: new Rng(6, "train") }),
            progress: Infinity,
            training: true,
            rng: new Rng(7, "loss"),
            model,
          }).map((t) => t.value),
        ) as tf.Scalar;
      const vars = model.trainable.map((v) => v.variable);
      const { grads } = tf.variableGrads(loss, vars);
      const h = 1e-2;
      let checked = 0;
      for (const v of model.trainable) {
        const g = grads[v.variable.name]!.dataSync();
        const base = (v.variable.dataSync() as Float32Array).slice();
        // Three entries of every variable: its first, middle and last.
        for (const i of new Set([0, Math.floor(base.length / 2), base.length - 1])) {
          const at = (delta: number) => {
            const w = base.slice();
            w[i] = w[i]! + delta;
            v.variable.assign(tf.tensor(w, v.variable.shape));
            return scalar(tf.tidy(loss));
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          v.variable.assign(tf.tensor(base, v.variable.shape));
          expect(Math.abs(g[i]! - numeric), `${v.name}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThan(3e-3 + 2e-2 * Math.abs(numeric));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(30);
      // Every ladder variable gets a gradient (the top-down maps through the merge and the KL).
      for (const v of model.trainable)
        expect(
          tf.tidy(() => tf.max(tf.abs(grads[v.variable.name]!)).dataSync()[0]!),
          v.name,
        ).toBeGreaterThan(0);
      tf.dispose(Object.values(grads));
      x.dispose();
      model.dispose();
    });
  }
});

describe("statistics and warnings per level", () => {
  it("counts active units (on the posterior mean's departure from the prior mean) and KL per level, and sums them", async () => {
    const ir = irOf(tiny({ units: [3, 1] }));
    const stats = latentStats(ir);
    // Level 0, over the two examples: unit 0's mean varies but copies its prior's (inactive), unit 1 sits a
    // constant 0.5 from its prior (inactive), unit 2 departs by +-2 (variance 4: active). The top does not vary.
    const lv = [
      {
        mean: tf.tensor2d([
          [1, 0.5, 2],
          [-1, 0.5, -2],
        ]),
        logVar: tf.zeros([2, 3]),
        priorMean: tf.tensor2d([
          [1, 0, 0],
          [-1, 0, 0],
        ]),
        priorLogVar: tf.zeros([2, 3]),
      },
      { mean: tf.tensor2d([[0.2], [0.2]]), logVar: tf.tensor2d([[-1], [-1]]), priorMean: null, priorLogVar: null },
    ];
    const f = forwardOf(lv);
    await stats.add(f);
    // By hand: level 0 against priors of log-variance 0: 0.5 (mu - mu_p)^2 -> units 0, 0.125, 2; top 0.5 (0.04 + e^-1 - 1 + 1).
    const expectedKl = [[0, 0.125, 2], [0.5 * (0.04 + Math.exp(-1))]];
    const levels = stats.levels()!;
    expect(levels.map((l) => [l.activeUnits, l.units])).toEqual([
      [1, 3],
      [0, 1],
    ]);
    levels.forEach((l, i) => expectClose(l.klPerUnit, expectedKl[i]!, { atol: 1e-6 }));
    const all = stats.gaussian()!;
    expect([all.activeUnits, all.units]).toEqual([1, 4]);
    expect(all.kl).toBeCloseTo(2.125 + expectedKl[1]![0]!, 5);
    expect(stats.codebook()).toBeUndefined();
    tf.dispose([f.input, ...lv.flatMap((l) => [l.mean, l.logVar, l.priorMean, l.priorLogVar].filter((t) => t !== null))]);
  });

  const level = (active: number, units: number, kl: number): GaussianStats => ({
    klPerUnit: new Array(units).fill(kl / units),
    kl,
    activeUnits: active,
    units,
  });

  it("warns of collapse when any one level has no active unit, at that level's gaussian(k)", () => {
    const ir = irOf(tiny({ units: [4, 3, 2] }));
    const b = ir.bottleneck;
    if (b.kind !== "ladder") throw new Error("not a ladder");
    const healthy = [level(4, 4, 3), level(2, 3, 1), level(1, 2, 0.5)];
    const upper = [level(4, 4, 3), level(0, 3, 0.01), level(0, 2, 0.002)];
    const sum = (ls: GaussianStats[]) => ({
      klPerUnit: ls.flatMap((l) => l.klPerUnit),
      kl: ls.reduce((a, l) => a + l.kl, 0),
      activeUnits: ls.reduce((a, l) => a + l.activeUnits, 0),
      units: 9,
    });
    expect(posteriorCollapsed(sum(healthy), healthy)).toBe(false);
    expect(posteriorCollapsed(sum(upper), upper)).toBe(true);
    const w = posteriorCollapseWarning(ir, 3, sum(upper), upper);
    expect(w.code).toBe("AE3107");
    expect(w.span).toEqual(b.levels[1]!.span);
    expect(w.related.map((r) => r.span)).toEqual([b.levels[2]!.span]);
    expect(w.message).toContain("level 1: none of 3 units active");
    expect(w.message).toContain("level 2 (top): none of 2 units active");
  });

  it("prints every level after the totals on the epoch line, bottom first", () => {
    const levels = [level(60, 64, 20.5), level(3, 32, 2.25), level(0, 16, 0.0125)];
    const m: EpochMetrics = {
      epoch: 1,
      steps: 4,
      examples: 64,
      seconds: 1.25,
      examplesPerSecond: 51.2,
      train: { total: 1, terms: { reconstruction: 0.5, kl: 0.5 } },
      validation: null,
      statsOn: "train",
      gaussian: { klPerUnit: [], kl: 22.7625, activeUnits: 63, units: 112 },
      levels,
      monitor: { on: "train", value: 1, bestEpoch: 1 },
    };
    expect(epochLine(m, 2)).toBe(
      "epoch 1/2  train 1 (reconstruction 0.5, kl 0.5)  active units 63/112 (levels 60/64, 3/32, 0/16), KL 22.76 (levels 20.5, 2.25, 0.0125)  1.3 s  51 ex/s",
    );
  });
});

describe("training a ladder", () => {
  it("runs specs/vae.aespec ladder_vae a few steps on a small subset, reporting each level", async () => {
    const ir = irOf(vaeText, ["train.data=sprites(size: 28, count: 48)", "train.batch=16", "train.epochs=2", "train.validation=0.25"], "ladder_vae");
    const dir = join(tempDir(), "ladder");
    const counts: number[] = [];
    const r = await train(ir, { outDir: dir, onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(r.status).toBe("completed");
    expect(new Set(counts).size).toBe(1);
    for (const e of r.history) {
      expect(e.levels!.map((l) => l.units)).toEqual([64, 32, 16]);
      expect(e.gaussian!.units).toBe(112);
      expect(e.gaussian!.kl).toBeCloseTo(
        e.levels!.reduce((a, l) => a + l.kl, 0),
        6,
      );
      expect(Object.keys(e.train.terms)).toEqual(["reconstruction", "kl"]);
      for (const v of [e.train.total, e.validation!.total, ...e.levels!.map((l) => l.kl)]) expect(Number.isFinite(v)).toBe(true);
    }
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EpochMetrics);
    expect(lines.map((l) => l.levels!.length)).toEqual([3, 3]);
    r.model!.dispose();
  });

  it("resumes bit-identically (skip connections, sampling at every level, a warm-up spanning the resume)", async () => {
    const text = tiny({
      units: [4, 3, 2],
      encoder: "encoder { dense(6) relu }",
      loss: "reconstruction(mse) kl(warmup: 3, free_bits: 0.01)",
      train: "data: lowrank(dim: 5, rank: 2, count: 64)\n optimizer: adam(lr: 1e-2)\n batch: 16\n epochs: 4\n seed: 8\n validation: 0.25",
    });
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    (await train(irOf(text), { outDir: straight })).model?.dispose();
    (await train(irOf(text, ["train.epochs=2"]), { outDir: resumed })).model?.dispose();
    const r = await train(irOf(text), { outDir: resumed, resume: true });
    r.model?.dispose();
    expect(r.history.map((e) => e.epoch)).toEqual([3, 4]);
    const file = (dir: string, f: string) => readFileSync(join(dir, f));
    expect(file(resumed, "checkpoint/weights.bin").equals(file(straight, "checkpoint/weights.bin"))).toBe(true);
    expect(file(resumed, "checkpoint/optimizer.bin").equals(file(straight, "checkpoint/optimizer.bin"))).toBe(true);
    const strip = (dir: string) =>
      file(dir, "metrics.jsonl")
        .toString("utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const { seconds: _s, examplesPerSecond: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
          return rest;
        });
    expect(strip(resumed)).toEqual(strip(straight));
    expect((strip(straight)[3] as { levels: unknown[] }).levels).toHaveLength(3);
  });
});
