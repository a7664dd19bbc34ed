/**
 * The adversarial autoencoder's term (targets/tfjs/train/adversary.ts):
 * the discriminator's loss and accuracy by hand, the two halves of a step
 * each moving only their own weights, the generator gradient against finite
 * differences, a discriminator that learns, resume, the epoch metrics, a
 * short run of specs/adversarial.aespec and the code-collapse warning.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import type { Adversary, TfModel } from "../../../../targets/tfjs/model-api.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { AdversarialMeter } from "../../../../targets/tfjs/train/adversarial-metrics.js";
import {
  createAdversary,
  discriminatorAccuracy,
  discriminatorLoss,
  discriminatorStep,
  generatorLoss,
  requireAdversary,
} from "../../../../targets/tfjs/train/adversary.js";
import type { EpochMetrics } from "../../../../targets/tfjs/train/events.js";
import { LOSS_HANDLERS, type LossContext } from "../../../../targets/tfjs/train/losses/index.js";
import { makeOptimizer, disposeOptimizer } from "../../../../targets/tfjs/train/optimizers.js";
import { epochLine } from "../../../../src/target/progress.js";
import { trainStep } from "../../../../targets/tfjs/train/step.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { mnistSubset } from "../variants/helpers.js";
import { irOf, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const softplus = (x: number) => Math.log1p(Math.exp(x));
const scalar = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const values = (vars: readonly { name: string; variable: tf.Variable }[]) =>
  new Map(vars.map((v) => [v.name, Float32Array.from(v.variable.dataSync() as Float32Array)]));
const same = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) => [...a].every(([k, v]) => v.every((x, i) => x === b.get(k)![i]));
const allMoved = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) => [...a].every(([k, v]) => v.some((x, i) => x !== b.get(k)![i]));

/** A small AAE on [4] features: deterministic codes of 2 units, a discriminator `disc`. */
const tiny = (opts: { disc?: string; weight?: number; lr?: number; encoder?: string; train?: string } = {}) => `model aae {
  input: [4]
  encoder { ${opts.encoder ?? "dense(6) tanh"} }
  bottleneck: deterministic(2)
  prior: normal
  decoder { dense(4) }
  loss {
    reconstruction(mse)
    adversarial(weight: ${opts.weight ?? 1}, lr: ${opts.lr ?? 1e-2}) { ${opts.disc ?? "dense(8) relu dense(1)"} }
  }
  train {
    ${opts.train ?? "data: lowrank(dim: 4, rank: 2, count: 64)\n    optimizer: adam(lr: 1e-2)\n    batch: 16\n    epochs: 4\n    seed: 3"}
  }
}
`;

const batch = (rows: number, seed: number) => {
  const r = new Rng(seed, "batch");
  return tf.tensor2d(
    Array.from({ length: rows * 4 }, () => r.normal()),
    [rows, 4],
  );
};

describe("the discriminator's loss, accuracy and the generator loss", () => {
  it("match a hand computation on fixed logits", () => {
    const prior = tf.tensor1d([2, -1]);
    const codes = tf.tensor1d([0.5, -3]);
    // Prior samples are labelled 1: -log sigmoid(l) = softplus(-l); codes 0: -log(1 - sigmoid(l)) = softplus(l).
    const want = (softplus(-2) + softplus(1) + softplus(0.5) + softplus(-3)) / 4;
    expect(scalar(discriminatorLoss(prior, codes))).toBeCloseTo(want, 6);
    // Right: prior 2 (> 0) and code -3 (< 0); wrong: prior -1 and code 0.5.
    expect(scalar(discriminatorAccuracy(prior, codes))).toBe(0.5);
    // Non-saturating: -log D(z) of the codes.
    expect(scalar(generatorLoss(codes))).toBeCloseTo((softplus(-0.5) + softplus(3)) / 2, 6);
    tf.dispose([prior, codes]);
  });

  it("in a discriminator step: prior samples from the run's Rng labelled 1, the codes 0, before the update", () => {
    const ir = irOf(tiny({ disc: "dense(1)" }));
    const adversary = createAdversary(ir, new Rng(1, "init"))!;
    // D(z) = 2 z_0 - z_1 + 0.5.
    adversary.trainable[0]!.variable.assign(tf.tensor2d([[2], [-1]]));
    adversary.trainable[1]!.variable.assign(tf.tensor1d([0.5]));
    const codes = tf.tensor2d([
      [0.3, -1],
      [-2, 0.1],
      [1, 1],
    ]);
    const rng = new Rng(5, "train");
    const twin = Rng.fromState(rng.state());
    const prior = Array.from({ length: 3 }, () => [twin.normal(), twin.normal()]);
    const logit = (z: number[]) => 2 * z[0]! - z[1]! + 0.5;
    const priorLogits = prior.map(logit);
    const codeLogits = [
      [0.3, -1],
      [-2, 0.1],
      [1, 1],
    ].map(logit);
    const want = (priorLogits.reduce((a, l) => a + softplus(-l), 0) + codeLogits.reduce((a, l) => a + softplus(l), 0)) / 6;
    const right = priorLogits.filter((l) => l > 0).length + codeLogits.filter((l) => l < 0).length;

    const step = discriminatorStep(adversary, codes, rng);
    expect(scalar(step.loss)).toBeCloseTo(want, 5);
    expect(scalar(step.accuracy)).toBeCloseTo(right / 6, 6);
    // Per unit: the codes' sum, then their sum of squares.
    const moments = Array.from(step.moments.dataSync());
    [0.3 - 2 + 1, -1 + 0.1 + 1, 0.09 + 4 + 1, 1 + 0.01 + 1].forEach((v, i) => expect(moments[i]!).toBeCloseTo(v, 5));
    // It drew exactly the prior samples from the run's stream.
    expect(rng.state()).toEqual(twin.state());
    tf.dispose([codes, step.moments]);
    adversary.dispose();
  });
});

describe("the two halves of a training step", () => {
  const build = (ir: IrModel) => createModel(ir, new Rng(ir.train.seed, "init"));

  it("the discriminator half moves the discriminator only; the autoencoder half the autoencoder only", async () => {
    const ir = irOf(tiny());
    const x = batch(16, 1);
    // A: a whole step. B: the same forward pass and the discriminator half alone, from the same weights and Rng.
    const a = build(ir);
    const b = build(ir);
    const aeBefore = values(a.trainable);
    const dBefore = values(requireAdversary(a).trainable);
    expect(same(aeBefore, values(b.trainable)) && same(dBefore, values(requireAdversary(b).trainable))).toBe(true);

    const rngB = new Rng(2, "train");
    // The generator loss of B's codes against the discriminator before and after its update.
    const [before, after] = tf.tidy(() => {
      const f = b.forward(x, { training: true, rng: rngB });
      const read = () => scalar(generatorLoss(requireAdversary(b).logits(f.latent, { training: true, rng: rngB })));
      const g0 = read();
      const s = discriminatorStep(requireAdversary(b), f.latent, rngB);
      tf.dispose([s.loss, s.accuracy, s.moments]);
      return [g0, read()];
    });
    expect(allMoved(dBefore, values(requireAdversary(b).trainable))).toBe(true);
    expect(same(aeBefore, values(b.trainable))).toBe(true);

    const optimizer = makeOptimizer(ir.train.optimizer);
    const out = await trainStep({ model: a, ir, optimizer, x, rng: new Rng(2, "train"), progress: 0, stats: null });
    expect(out.ok).toBe(true);
    // The autoencoder's half read the discriminator as the first half left it.
    expect(Math.abs(after - before)).toBeGreaterThan(1e-4);
    expect(out.losses.terms[1]!).toBeCloseTo(after, 6);
    // The discriminator ends where the half alone left it: the autoencoder's update did not touch it.
    expect(same(values(requireAdversary(a).trainable), values(requireAdversary(b).trainable))).toBe(true);
    expect(allMoved(aeBefore, values(a.trainable))).toBe(true);
    // The main optimizer holds slots for the autoencoder's variables only.
    const slotsFor = (await optimizer.getWeights()).slice(1).map((w) => w.name);
    expect(slotsFor.length).toBe(2 * a.trainable.length);
    const dNames = new Set(requireAdversary(a).trainable.map((v) => v.variable.name));
    expect(slotsFor.some((n) => dNames.has(n.slice(0, n.lastIndexOf("/"))))).toBe(false);
    disposeOptimizer(optimizer);
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it("reports the discriminator's numbers and frees every tensor it made", async () => {
    const ir = irOf(tiny({ weight: 2 }));
    const model = build(ir);
    const optimizer = makeOptimizer(ir.train.optimizer);
    const x = batch(16, 4);
    const rng = new Rng(2, "train");
    await trainStep({ model, ir, optimizer, x, rng, progress: 0, stats: null }); // slots made
    const before = tf.memory().numTensors;
    const out = await trainStep({ model, ir, optimizer, x, rng, progress: 0, stats: null });
    expect(tf.memory().numTensors).toBe(before);
    if (!out.ok || out.adversarial === undefined) throw new Error("no adversarial numbers");
    const adv = out.adversarial;
    expect(adv.examples).toBe(16);
    expect(adv.codeSum).toHaveLength(2);
    expect(adv.accuracy).toBeGreaterThanOrEqual(0);
    expect(adv.accuracy).toBeLessThanOrEqual(1);
    // The term's value is the weight times the generator loss.
    expect(out.losses.terms[1]!).toBeCloseTo(2 * adv.generatorLoss!, 5);
    disposeOptimizer(optimizer);
    model.dispose();
    x.dispose();
  });
});

describe("the generator gradient", () => {
  it("matches central finite differences on a tiny smooth model", () => {
    const ir = irOf(tiny({ weight: 1.5, disc: "dense(5) tanh dense(1)" }));
    const model = createModel(ir, new Rng(3, "init"));
    const x = batch(6, 7);
    const term = ir.losses[1]!;
    if (term.kind !== "adversarial") throw new Error("the second term is adversarial");
    const ctx = (): LossContext => {
      const forward = model.forward(x, { training: false, rng: new Rng(0) });
      return { forward, progress: Infinity, training: false, rng: new Rng(0), model };
    };
    const lossOf = () => LOSS_HANDLERS.adversarial.value(term, ctx(), ir);
    const vars = model.trainable.filter((v) => v.name.startsWith("encoder.") || v.name.startsWith("bottleneck."));
    const { grads, value } = tf.variableGrads(
      lossOf,
      vars.map((v) => v.variable),
    );
    value.dispose();
    const eps = 1e-2;
    let checked = 0;
    for (const v of vars) {
      const g = grads[v.variable.name]!.dataSync();
      const base = Float32Array.from(v.variable.dataSync() as Float32Array);
      for (const i of [0, base.length - 1, Math.floor(base.length / 2)]) {
        const at = (d: number) => {
          const w = base.slice();
          w[i]! += d;
          v.variable.assign(tf.tensor(w, v.variable.shape));
          return scalar(tf.tidy(lossOf));
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        v.variable.assign(tf.tensor(base, v.variable.shape));
        expect(g[i]!, `${v.name}[${i}]`).toBeCloseTo(fd, 3);
        checked += Math.abs(fd) > 1e-3 ? 1 : 0;
      }
    }
    // Most of the checked entries have a gradient clearly away from 0 (the comparison says something).
    expect(checked).toBeGreaterThan(4);
    tf.dispose(Object.values(grads));
    model.dispose();
    x.dispose();
  });
});

describe("the discriminator learns", () => {
  /** Accuracy on fresh samples after `steps` discriminator steps against codes N(shift, 1). */
  function separate(shift: number, steps: number): number {
    const ir = irOf(tiny({ disc: "dense(16) relu dense(1)", lr: 1e-2 }));
    const adversary: Adversary = createAdversary(ir, new Rng(1, "init"))!;
    const rng = new Rng(9, "train");
    const codeRng = new Rng(9, "codes");
    const codes = () =>
      tf.tidy(() =>
        tf.add(
          tf.tensor2d(
            Array.from({ length: 64 * 2 }, () => codeRng.normal()),
            [64, 2],
          ),
          shift,
        ),
      );
    for (let s = 0; s < steps; s++) {
      const c = codes();
      const out = discriminatorStep(adversary, c, rng);
      tf.dispose([c, out.loss, out.accuracy, out.moments]);
    }
    const c = codes();
    const accuracy = tf.tidy(() => {
      const prior = tf.tensor2d(
        Array.from({ length: 64 * 2 }, () => rng.normal()),
        [64, 2],
      );
      const opts = { training: false, rng };
      return discriminatorAccuracy(adversary.logits(prior, opts), adversary.logits(c, opts));
    });
    c.dispose();
    adversary.dispose();
    return scalar(accuracy);
  }

  it("tells codes shifted by 3 from prior samples (accuracy > 0.9), and not codes drawn from the prior itself", () => {
    expect(separate(3, 150)).toBeGreaterThan(0.9);
    expect(separate(0, 150)).toBeLessThan(0.7);
  });
});

describe("training an adversarial autoencoder", () => {
  const file = (dir: string, f: string) => readFileSync(join(dir, f));
  const metrics = (dir: string) =>
    file(dir, "metrics.jsonl")
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => {
        const { seconds: _s, examplesPerSecond: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return rest;
      });

  it("resumes bit-identically: discriminator weights and its optimizer's slots in the checkpoint", async () => {
    // Dropout and batchnorm in the discriminator: its randomness and its moving statistics must resume too.
    const text = tiny({
      disc: "dense(8) relu batchnorm dropout(0.2) dense(1)",
      train: "data: lowrank(dim: 4, rank: 2, count: 64)\n    optimizer: adam(lr: 1e-2)\n    batch: 16\n    epochs: 4\n    seed: 3\n    validation: 0.25",
    });
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    (await train(irOf(text), { outDir: straight })).model?.dispose();
    (await train(irOf(text, ["train.epochs=2"]), { outDir: resumed })).model?.dispose();
    const r = await train(irOf(text), { outDir: resumed, resume: true });
    r.model?.dispose();
    expect(r.status).toBe("completed");
    expect(r.history.map((e) => e.epoch)).toEqual([3, 4]);
    for (const f of ["weights.bin", "optimizer.bin", "adversary-optimizer.bin"]) {
      expect(file(resumed, `checkpoint/${f}`).equals(file(straight, `checkpoint/${f}`)), f).toBe(true);
    }
    expect(metrics(resumed)).toEqual(metrics(straight));
    const manifest = JSON.parse(file(straight, "checkpoint/checkpoint.json").toString("utf8")) as {
      weights: { tensors: { name: string }[] };
      adversaryOptimizer: { kind: string; iterations: number; slots: { variable: string }[] };
    };
    const names = manifest.weights.tensors.map((t) => t.name);
    expect(names.filter((n) => n.startsWith("adversarial.discriminator."))).toEqual([
      "adversarial.discriminator.0.kernel",
      "adversarial.discriminator.0.bias",
      "adversarial.discriminator.2.gamma",
      "adversarial.discriminator.2.beta",
      "adversarial.discriminator.4.kernel",
      "adversarial.discriminator.4.bias",
      "adversarial.discriminator.2.moving_mean",
      "adversarial.discriminator.2.moving_variance",
    ]);
    // 3 steps an epoch (48 examples), 4 epochs: one discriminator update per step.
    expect(manifest.adversaryOptimizer.iterations).toBe(12);
    expect(manifest.adversaryOptimizer.slots.every((s) => s.variable.startsWith("adversarial.discriminator."))).toBe(true);
  });

  it("a resume whose discriminator optimizer lost its state differs (the comparison above can fail)", async () => {
    const text = tiny();
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    (await train(irOf(text), { outDir: straight })).model?.dispose();
    (await train(irOf(text, ["train.epochs=2"]), { outDir: resumed })).model?.dispose();
    const slots = join(resumed, "checkpoint/adversary-optimizer.bin");
    writeFileSync(slots, Buffer.alloc(readFileSync(slots).byteLength));
    (await train(irOf(text), { outDir: resumed, resume: true })).model?.dispose();
    expect(file(resumed, "checkpoint/weights.bin").equals(file(straight, "checkpoint/weights.bin"))).toBe(false);
  });

  it("reports the discriminator's accuracy and losses per epoch, in metrics.jsonl and the epoch line", async () => {
    const dir = join(tempDir(), "run");
    const r = await train(irOf(tiny()), { outDir: dir });
    r.model?.dispose();
    expect(r.status).toBe("completed");
    const lines = file(dir, "metrics.jsonl")
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EpochMetrics);
    expect(lines).toHaveLength(4);
    for (const m of lines) {
      const a = m.adversarial!;
      expect(a.discriminatorAccuracy).toBeGreaterThanOrEqual(0);
      expect(a.discriminatorAccuracy).toBeLessThanOrEqual(1);
      // Weight 1: the generator loss is the term's mean.
      expect(a.generatorLoss!).toBeCloseTo(m.train.terms["adversarial"]!, 5);
      expect(Number.isFinite(a.discriminatorLoss) && a.codeSpread > 0).toBe(true);
      expect(epochLine(m, 4)).toContain(`discriminator accuracy ${a.discriminatorAccuracy.toFixed(3)}`);
    }
  });

  it("runs specs/adversarial.aespec aae a few steps on a small MNIST subset", async () => {
    const subset = await mnistSubset(64);
    const text = readFileSync(resolve(import.meta.dirname, "../../../../specs/adversarial.aespec"), "utf8");
    const ir = irOf(text, [`train.data="${subset}"`, "train.epochs=1", "train.batch=16"], "aae");
    const counts: number[] = [];
    const r = await train(ir, { onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(r.status).toBe("completed");
    const m = r.history[0]!;
    expect(m.steps).toBe(4);
    expect(Object.keys(m.train.terms)).toEqual(["reconstruction", "adversarial"]);
    expect(Number.isFinite(m.train.total)).toBe(true);
    expect(m.adversarial!.discriminatorAccuracy).toBeGreaterThanOrEqual(0);
    // The discriminator's variables are its own: 8 -> 256 -> 256 -> 1.
    const adversary = requireAdversary(r.model as TfModel);
    expect(adversary.trainable.reduce((n, v) => n + v.variable.size, 0)).toBe(8 * 256 + 256 + 256 * 256 + 256 + 256 + 1);
    expect(r.model!.trainable.some((v) => v.name.startsWith("adversarial."))).toBe(false);
    // With the autoencoder's, every parameter the checker counted.
    const size = (vs: readonly { variable: tf.Variable }[]) => vs.reduce((n, v) => n + v.variable.size, 0);
    expect(size(r.model!.trainable) + size(adversary.trainable)).toBe(ir.totals.parameters);
    r.model!.dispose();
  });
});

describe("the code-collapse warning (AE3109)", () => {
  it("fires once when the codes' spread falls below 0.1, located at the adversarial term", async () => {
    // layernorm over one feature outputs its offset whatever the input: every example gets the same code.
    const text = tiny({ encoder: "dense(1) layernorm" });
    const r = await train(irOf(text));
    r.model?.dispose();
    expect(r.status).toBe("completed");
    expect(r.history.every((m) => m.adversarial!.codeSpread < 0.1)).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AE3109"]);
    expect(r.diagnostics[0]!.message).toContain("code collapse at epoch 1");
    const at = r.diagnostics[0]!.span;
    expect(text.slice(at.start, at.end)).toMatch(/^adversarial\(weight: 1/);
  });

  it("stays quiet when the codes spread", async () => {
    const r = await train(irOf(tiny()));
    r.model?.dispose();
    expect(r.history.every((m) => m.adversarial!.codeSpread > 0.1)).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it("the spread is the mean over units of each unit's standard deviation over the epoch", () => {
    const meter = new AdversarialMeter();
    // Unit 0: values 1, 3 then 5 (std sqrt(8/3)); unit 1: 2, 2 then 2 (std 0).
    meter.add({ discriminatorLoss: 1, accuracy: 0.5, generatorLoss: 2, examples: 2, codeSum: [4, 4], codeSumSq: [10, 8] });
    meter.add({ discriminatorLoss: 4, accuracy: 1, generatorLoss: null, examples: 1, codeSum: [5, 2], codeSumSq: [25, 4] });
    const s = meter.stats()!;
    expect(s.codeSpread).toBeCloseTo(Math.sqrt(8 / 3) / 2, 12);
    expect(s.discriminatorLoss).toBeCloseTo((2 * 1 + 4) / 3, 12);
    expect(s.discriminatorAccuracy).toBeCloseTo((2 * 0.5 + 1) / 3, 12);
    expect(s.generatorLoss).toBeNull();
  });
});
