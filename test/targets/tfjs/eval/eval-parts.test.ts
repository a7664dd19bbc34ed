import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadData } from "../../../../src/data/load.js";
import { Rng } from "../../../../src/data/rng.js";
import { splitValidation } from "../../../../src/data/split.js";
import { buildModel } from "../../../../targets/tfjs/model/build.js";
import { tfjsPort } from "../../../../targets/tfjs/eval/tfjs-port.js";
import { evalData } from "../../../../src/eval/eval-data.js";
import { importanceLogWeights, importanceSampler } from "../../../../src/eval/importance-samples.js";
import { isLinearModel } from "../../../../src/eval/linear-subspace.js";
import { corruptedReconstruction } from "../../../../src/eval/corrupted-reconstruction.js";
import { evaluationPass } from "../../../../src/eval/evaluation-pass.js";
import { mean } from "../../../../src/metrics/row-matrix.js";
import { irOf, spec, tempDir, useCpu } from "../train/helpers.js";

beforeAll(() => useCpu());

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe("the decoder alone (the tfjs port's decodeLatent)", () => {
  for (const [what, ir] of [
    ["dense layers and a Gaussian bottleneck", irOf(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse) kl()" }))],
    [
      "convolutions, batchnorm state and a VQ map",
      irOf(`model m {
  input: [8, 8, 1] in [0, 1]
  encoder { conv(4, kernel: 3, stride: 2) relu }
  bottleneck: vq(codes: 8, dim: 3)
  decoder { batchnorm deconv(1, kernel: 3, stride: 2) sigmoid }
  loss { reconstruction(mse) commitment() }
  train { data: sprites(size: 8, count: 12) optimizer: adam() batch: 4 epochs: 1 seed: 1 }
}`),
    ],
  ] as const) {
    it(`decodes the latent as the model's own forward pass does: ${what}`, async () => {
      const model = buildModel(ir, new Rng(5, "init"));
      // Give batchnorm's moving statistics values other than their initial ones, so using them matters.
      for (const s of model.state) s.variable.assign(tf.add(s.variable, 0.5));
      const port = tfjsPort(model, 0);
      const x = tf.tensor(
        Float32Array.from({ length: 3 * ir.input.shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 7) / 7),
        [3, ...ir.input.shape],
      );
      const [own, latent] = tf.tidy(() => {
        const f = model.forward(x, { training: false, rng: new Rng(0) });
        return [f.reconstruction.dataSync(), Float32Array.from(f.latent.dataSync())];
      });
      const replayed = await port.decodeLatent(latent, 3);
      expect(maxDiff(own, replayed)).toBeLessThan(1e-6);
      model.dispose();
      x.dispose();
    });
  }
});

describe("importance samples", () => {
  it("do not depend on how the examples are split into batches", async () => {
    const ir = irOf(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse) kl()" }));
    const model = buildModel(ir, new Rng(5, "init"));
    const port = tfjsPort(model, 0);
    const x = Float32Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i));
    const mean = Float32Array.from({ length: 4 * 2 }, (_, i) => 0.1 * i);
    const logVar = Float32Array.from({ length: 4 * 2 }, (_, i) => -0.2 * i);
    const sampler = () => importanceSampler(7, 3, "gaussian");
    const whole = await importanceLogWeights(port, sampler(), x, 4, mean, logVar);
    const s = sampler();
    const first = await importanceLogWeights(port, s, x.subarray(0, 12), 2, mean.subarray(0, 4), logVar.subarray(0, 4));
    const second = await importanceLogWeights(port, s, x.subarray(12), 2, mean.subarray(4), logVar.subarray(4));
    expect(Array.from(whole)).toEqual([...first, ...second]);
    expect(whole.every(Number.isFinite)).toBe(true);
    // a fresh sampler of another seed draws other samples
    const other = await importanceLogWeights(port, importanceSampler(8, 3, "gaussian"), x, 4, mean, logVar);
    expect(maxDiff(other, whole)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});

describe("which models count as linear", () => {
  it("dense layers and a narrower deterministic bottleneck only", () => {
    expect(isLinearModel(irOf(spec()))).toBe(true);
    expect(isLinearModel(irOf(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse) kl()" })))).toBe(false);
    const withRelu = spec().replace("decoder {\n    dense(6)", "decoder {\n    dense(4) relu\n    dense(6)");
    expect(withRelu).not.toBe(spec());
    expect(isLinearModel(irOf(withRelu))).toBe(false);
  });
});

describe("the evaluated examples", () => {
  it("built-in sets: the test set, cut by --limit; the training part is the trainer's", async () => {
    const ir = irOf(spec({ train: "data: lowrank(dim: 6, rank: 2, count: 96)\n    optimizer: adam()\n    batch: 16\n    validation: 0.25\n    seed: 3" }));
    const d = await evalData(ir, "run", 5);
    if (!d.ok) throw new Error(d.diagnostic.message);
    expect(d.value.split).toBe("test");
    expect(d.value.evaluated.count).toBe(5);
    expect(d.value.train.count).toBe(72);
  });

  it("a file: the validation examples the trainer held out", async () => {
    const dir = tempDir("aespec-eval-data-");
    const rows = Array.from({ length: 20 }, (_, i) => Array.from({ length: 6 }, (_, j) => i + j / 10).join(","));
    writeFileSync(join(dir, "x.csv"), rows.join("\n") + "\n");
    const text = spec({ train: `data: "x.csv"\n    optimizer: adam()\n    batch: 4\n    validation: 0.2\n    seed: 9` });
    const ir = irOf(text.replace('"x.csv"', JSON.stringify(join(dir, "x.csv"))));
    const d = await evalData(ir, "run", null);
    if (!d.ok) throw new Error(d.diagnostic.message);
    expect(d.value.split).toBe("validation");
    const all = await loadData(ir.train.data!, { seed: 9 });
    if (!all.ok) throw new Error("unreadable");
    const held = splitValidation(all.value.train, 0.2, new Rng(9, "validation")).validation;
    expect(d.value.evaluated.count).toBe(4);
    expect(Array.from(d.value.evaluated.x)).toEqual(Array.from(held.x));
  });
});

describe("one definition of an active unit", () => {
  it("the trainer's per-epoch statistics use the threshold of src/metrics", async () => {
    const trainer = await import("../../../../targets/tfjs/train/latent-stats.js");
    const metrics = await import("../../../../src/metrics/gaussian-latent.js");
    expect(trainer.ACTIVE_UNIT_VARIANCE).toBe(metrics.ACTIVE_UNIT_VARIANCE);
  });
});

describe("reconstruction from a corrupted input", () => {
  const images = (corrupt: string) =>
    irOf(`model m {
  input: [8, 8, 1] in [0, 1]
  corrupt: ${corrupt}
  encoder { flatten dense(8) relu }
  bottleneck: deterministic(4)
  decoder { dense(64) sigmoid reshape([8, 8, 1]) }
  loss { reconstruction(mse) }
  train { data: sprites(size: 8, count: 60) optimizer: adam() batch: 16 epochs: 1 seed: 1 }
}`);

  async function measure(corrupt: string) {
    const ir = images(corrupt);
    const model = buildModel(ir, new Rng(5, "init"));
    const data = await loadData(ir.train.data!, { seed: 1 });
    if (!data.ok) throw new Error(data.diagnostic.message);
    const test = data.value.test!;
    const plain = await evaluationPass(tfjsPort(model, 0), test, { batch: 4, errors: true, crossEntropy: true, sampler: null });
    const corrupted = (await corruptedReconstruction(tfjsPort(model, 0), test, 4, true))!;
    model.dispose();
    return { plain: mean(plain.squaredError), plainBce: mean(plain.crossEntropy!), corrupted };
  }

  it("compares with the clean input: noise of sigma 1e-6 changes nothing, sigma 1 a lot", async () => {
    const tiny = await measure("gaussian(sigma: 0.000001)");
    expect(tiny.corrupted.corruption).toBe("gaussian_noise");
    expect(tiny.corrupted.mse).toBeCloseTo(tiny.plain, 4);
    expect(tiny.corrupted.bce!).toBeCloseTo(tiny.plainBce, 3);
    expect(tiny.corrupted.hiddenMse).toBeNull();
    const loud = await measure("gaussian(sigma: 1)");
    expect(Math.abs(loud.corrupted.mse - loud.plain)).toBeGreaterThan(1e-3);
  });

  it("a mask: the error over hidden pixels is part of the error over all", async () => {
    const m = await measure("mask(patch: 2, ratio: 0.5)");
    expect(m.corrupted.corruption).toBe("mask");
    expect(m.corrupted.hiddenMse!).toBeGreaterThan(0);
    expect(m.corrupted.hiddenMse!).toBeLessThan(m.corrupted.mse);
  });
});
