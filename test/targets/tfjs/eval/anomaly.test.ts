import { beforeAll, describe, expect, it } from "vitest";
import { makeDataset } from "../../../../src/data/dataset.js";
import { Rng } from "../../../../src/data/rng.js";
import { anomalyRefusal, anomalySection, klPerExample } from "../../../../src/eval/anomaly.js";
import { evaluateRun } from "../../../../targets/tfjs/eval/evaluate-run.js";
import { evaluationPass } from "../../../../src/eval/evaluation-pass.js";
import { tfjsPort } from "../../../../targets/tfjs/eval/tfjs-port.js";
import { buildModel } from "../../../../targets/tfjs/model/build.js";
import { loadRun } from "../../../../targets/tfjs/train/load-run.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, tempDir, useCpu } from "../train/helpers.js";
import { gaussianRunForward } from "./run-forward.js";

beforeAll(() => useCpu());

/** AUROC by its definition: over all (anomaly, normal) pairs, 1 when the anomaly scores higher, 1/2 on a tie. */
function pairwiseAuroc(scores: readonly number[], positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!positive[i]) return;
    scores.forEach((t, j) => {
      if (positive[j]) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** A tiny VAE on 8x8 sprites, whose labels are the shape (0, 1, 2). */
const TINY_VAE = `model tiny_vae {
  input: [8, 8, 1] in [0, 1]
  encoder { flatten dense(16) relu }
  bottleneck: gaussian(3)
  decoder { dense(16) relu dense(64) sigmoid reshape([8, 8, 1]) }
  loss { reconstruction(bernoulli) kl() }
  train { data: sprites(size: 8, count: 120) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 3 }
}
`;

describe("aespec eval --anomaly-class", () => {
  let run: string;
  beforeAll(async () => {
    await useCpu();
    run = tempDir("aespec-eval-anomaly-");
    const r = await train(irOf(TINY_VAE), { outDir: run });
    r.model?.dispose();
    expect(r.status).toBe("completed");
  }, 60_000);

  it("the AUROC of each score equals a pairwise count over scores computed from the forward pass", async () => {
    const r = await evaluateRun(run, { iwaeSamples: 1, anomaly: { anomalyClass: 1 } });
    if (!r.ok) throw new Error(r.diagnostic.message);
    const a = r.value.anomaly!;

    const { test, reconstruction: rec, mean: mu, logVar: lv } = await gaussianRunForward(run);
    const bce = Array.from({ length: test.count }, (_, i) => {
      let s = 0;
      for (let j = 0; j < 64; j++) {
        const x = test.x[i * 64 + j]!;
        const p = Math.min(1 - 1e-7, Math.max(1e-7, rec[i * 64 + j]!));
        s -= x * Math.log(p) + (1 - x) * Math.log(1 - p);
      }
      return s;
    });
    const kl = Array.from({ length: test.count }, (_, i) => {
      let s = 0;
      for (let u = 0; u < 3; u++) s += 0.5 * (mu[i * 3 + u]! ** 2 + Math.exp(lv[i * 3 + u]!) - 1 - lv[i * 3 + u]!);
      return s;
    });
    const positive = Array.from(test.labels!, (l) => l === 1);

    expect(a.anomalyClass).toBe(1);
    expect(a.scored).toBe("evaluated");
    expect(a.examples).toBe(test.count);
    expect(a.anomalies).toBe(positive.filter((p) => p).length);
    expect(a.anomalies).toBeGreaterThan(0);
    expect(a.normals).toBe(test.count - a.anomalies);
    expect(a.scores.map((s) => s.score)).toEqual(["reconstruction", "negative_elbo"]);
    expect(a.scores[0]!.definition).toBe("binary cross-entropy");
    expect(a.scores[0]!.auroc).toBeCloseTo(pairwiseAuroc(bce, positive), 6);
    expect(a.scores[1]!.auroc).toBeCloseTo(
      pairwiseAuroc(
        bce.map((v, i) => v + kl[i]!),
        positive,
      ),
      6,
    );
    // the KL term is not negligible, so the second score is not the first again
    expect(Math.min(...kl)).toBeGreaterThan(1e-3);
  });

  it("refuses, at the spec's data, a class that does not occur", async () => {
    const r = await evaluateRun(run, { iwaeSamples: 1, anomaly: { anomalyClass: 7 } });
    if (r.ok) throw new Error("class 7 was scored");
    expect(r.diagnostic.code).toBe("AE3303");
    expect(r.diagnostic.message).toBe("cannot score class 7 as the anomaly: it does not occur in the evaluated examples (test set) (classes 0, 1, 2)");
    const ir = loadRun(run);
    if ("code" in ir) throw new Error(ir.message);
    ir.model.dispose();
    expect(r.diagnostic.span).toEqual(ir.ir.train.data!.span);
  });

  it("without the flag there is no anomaly section", async () => {
    const r = await evaluateRun(run, { iwaeSamples: 1, limit: 4 });
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(r.value.anomaly).toBeNull();
  });
});

describe("anomaly scores on a contrived case", () => {
  it("a class far from the others scores an AUROC near 1 on both scores", async () => {
    const ir = irOf(`model g {
  input: [6]
  encoder { dense(8) tanh }
  bottleneck: gaussian(2)
  decoder { dense(8) tanh dense(6) }
  loss { reconstruction(mse) kl() }
  train { data: lowrank(dim: 6, rank: 2, count: 96) optimizer: adam() batch: 16 epochs: 1 seed: 3 }
}`);
    const model = buildModel(ir, new Rng(5, "init"));
    // 60 normal examples near the origin (class 0), 20 anomalies near (5, ..., 5) (class 1)
    const rng = new Rng(11, "contrived");
    const n = 80;
    const labels = Int32Array.from({ length: n }, (_, i) => (i % 4 === 3 ? 1 : 0));
    const x = Float32Array.from({ length: n * 6 }, (_, k) => (labels[Math.floor(k / 6)] === 1 ? 5 : 0) + 0.1 * rng.normal());
    const ds = makeDataset({ x, shape: [6], count: n, labels });
    expect(anomalyRefusal(ds, 1, "the data", { file: "t", start: 0, end: 0 })).toBeNull();
    const pass = await evaluationPass(tfjsPort(model, 0), ds, { batch: 32, errors: true, crossEntropy: false, sampler: null });
    model.dispose();
    const a = anomalySection(pass, labels, { anomalyClass: 1 }, "mse", [6]);
    expect([a.anomalies, a.normals]).toEqual([20, 60]);
    expect(a.scores.map((s) => s.score)).toEqual(["reconstruction", "negative_elbo"]);
    for (const s of a.scores) expect(s.auroc).toBeGreaterThan(0.99);
    // the same scores with the classes swapped: the normal class as the "anomaly" ranks last
    const swapped = anomalySection(pass, labels, { anomalyClass: 0 }, "mse", [6]);
    for (const s of swapped.scores) expect(s.auroc).toBeLessThan(0.01);
  });

  it("a deterministic bottleneck has the reconstruction score only", async () => {
    const ir = irOf(`model d {
  input: [6]
  bottleneck: deterministic(2)
  decoder { dense(6) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 6, rank: 2, count: 96) optimizer: adam() batch: 16 epochs: 1 seed: 3 }
}`);
    const model = buildModel(ir, new Rng(5, "init"));
    const labels = Int32Array.from([0, 0, 1, 1]);
    const ds = makeDataset({ x: Float32Array.from({ length: 24 }, (_, k) => (k >= 12 ? 9 : 0)), shape: [6], count: 4, labels });
    const pass = await evaluationPass(tfjsPort(model, 0), ds, { batch: 4, errors: true, crossEntropy: false, sampler: null });
    model.dispose();
    const a = anomalySection(pass, labels, { anomalyClass: 1 }, "mse", [6]);
    expect(a.scores.map((s) => [s.score, s.definition])).toEqual([["reconstruction", "squared error"]]);
    expect(a.scores[0]!.auroc).toBe(1);
  });
});

describe("the KL of each example", () => {
  it("a ladder: every level against its own prior, summed", async () => {
    const ir = irOf(`model l {
  input: [6]
  encoder { dense(8) tanh }
  bottleneck: ladder(skip: true) { gaussian(3) gaussian(2) }
  decoder { dense(6) }
  loss { reconstruction(mse) kl() }
  train { data: lowrank(dim: 6, rank: 2, count: 96) optimizer: adam() batch: 16 epochs: 1 seed: 3 }
}`);
    const model = buildModel(ir, new Rng(5, "init"));
    const ds = makeDataset({ x: Float32Array.from({ length: 5 * 6 }, (_, k) => Math.sin(k)), shape: [6], count: 5, labels: null });
    const pass = await evaluationPass(tfjsPort(model, 0), ds, { batch: 2, errors: true, crossEntropy: false, sampler: null });
    model.dispose();
    const kl = klPerExample(pass)!;
    const levels = pass.ladder!;
    expect(levels[0]!.priorMean).not.toBeNull();
    for (let i = 0; i < 5; i++) {
      let own = 0;
      for (const l of levels) {
        for (let u = 0; u < l.units; u++) {
          const k = i * l.units + u;
          const [m, v] = [l.mean[k]!, Math.exp(l.logVar[k]!)];
          const [pm, pv] = [l.priorMean?.[k] ?? 0, Math.exp(l.priorLogVar?.[k] ?? 0)];
          own += 0.5 * (Math.log(pv / v) + (v + (m - pm) ** 2) / pv - 1);
        }
      }
      expect(kl[i]).toBeCloseTo(own, 5);
    }
  });
});

describe("anomaly refusals", () => {
  const at = { file: "run", start: 0, end: 0 };
  const data = (labels: Int32Array | null) => makeDataset({ x: new Float32Array(3 * 2), shape: [2], count: 3, labels });

  it("data without labels, a class that does not occur, and a class with no other class to compare", () => {
    expect(anomalyRefusal(data(null), 1, "the data", at)?.message).toBe("cannot score class 1 as the anomaly: the data have no labels");
    expect(anomalyRefusal(data(Int32Array.from([0, 2, 2])), 1, "the data", at)?.message).toBe(
      "cannot score class 1 as the anomaly: it does not occur in the data (classes 0, 2)",
    );
    expect(anomalyRefusal(data(Int32Array.from([1, 1, 1])), 1, "the data", at)?.message).toBe(
      "cannot score class 1 as the anomaly: it is the only class in the data",
    );
    expect(anomalyRefusal(data(Int32Array.from([1, 0, 1])), 1, "the data", at)).toBeNull();
    expect(anomalyRefusal(data(null), 1, "the data", at)?.code).toBe("AE3303");
  });
});
