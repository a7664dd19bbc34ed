import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadData } from "../../src/data/load.js";
import { Rng } from "../../src/data/rng.js";
import { loadRun } from "../../targets/tfjs/train/load-run.js";
import type { EvalReport } from "../../targets/tfjs/eval/eval-report.js";
import { num } from "../../src/eval/eval-rows.js";
import { tempDir, useCpu } from "../targets/tfjs/train/helpers.js";
import { gaussianRunForward } from "../targets/tfjs/eval/run-forward.js";
import { aespec } from "./run-cli.js";

/** A tiny VAE on 8x8 sprites: labels (shape) and factors, so every section but codebook and subspace applies. */
const SPEC = `model tiny_vae {
  input: [8, 8, 1] in [0, 1]
  encoder { flatten dense(16) relu }
  bottleneck: gaussian(3)
  decoder { dense(16) relu dense(64) sigmoid reshape([8, 8, 1]) }
  loss { reconstruction(bernoulli) kl() }
  train { data: sprites(size: 8, count: 120) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 3 }
}
`;

const evalJson = (dir: string, ...args: string[]) => {
  const r = aespec(["eval", "run", "--backend", "cpu", "--json", ...args], dir);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as EvalReport & { backend: string };
};

describe("aespec eval (the built command line)", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("aespec-eval-");
    writeFileSync(join(dir, "tiny.aespec"), SPEC);
    const t = aespec(["train", "tiny.aespec", "--backend", "cpu", "--out", "run"], dir);
    expect(t.status).toBe(0);
  }, 60_000);

  it("--json: reconstruction and the Gaussian terms agree with a computation of their own", async () => {
    const r = evalJson(dir, "--iwae-k", "4");
    expect(r).toMatchObject({ run: "run", model: "tiny_vae", epoch: 2, bottleneck: "gaussian", split: "test", backend: "cpu" });
    // sprites keep a sixth of their count as the test set
    expect(r.examples).toBe(20);

    await useCpu();
    const { test, reconstruction: rec, mean: mu, logVar: lv } = await gaussianRunForward(join(dir, "run"));
    let se = 0;
    let bce = 0;
    for (let i = 0; i < test.x.length; i++) {
      const x = test.x[i]!;
      const p = Math.min(1 - 1e-7, Math.max(1e-7, rec[i]!));
      se += (x - rec[i]!) ** 2;
      bce -= x * Math.log(p) + (1 - x) * Math.log(1 - p);
    }
    expect(r.reconstruction.likelihood).toBe("bernoulli");
    expect(r.reconstruction.mse).toBeCloseTo(se / test.count, 4);
    expect(r.reconstruction.bce).toBeCloseTo(bce / test.count, 3);
    let kl = 0;
    for (let i = 0; i < mu.length; i++) kl += 0.5 * (mu[i]! ** 2 + Math.exp(lv[i]!) - 1 - lv[i]!);
    const g = r.gaussian!;
    expect(g.units).toBe(3);
    expect(g.kl).toBeCloseTo(kl / test.count, 4);
    expect(g.klPerUnit.reduce((a, b) => a + b, 0)).toBeCloseTo(g.kl, 10);
    expect(g.activeUnits).toBeGreaterThanOrEqual(0);
    expect(g.activeUnits).toBeLessThanOrEqual(3);
    // L_K >= the ELBO estimated from the same samples, and the NLL is its negative.
    expect(g.iwae!.samples).toBe(4);
    expect(g.iwae!.bound).toBeGreaterThanOrEqual(g.iwae!.elbo);
    expect(g.iwae!.nll).toBe(-g.iwae!.bound);

    // sprites have labels (the shape) and factors
    expect(r.probe!.classes).toBe(3);
    expect(r.probe!.testExamples).toBe(20);
    expect(r.probe!.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.probe!.accuracy).toBeLessThanOrEqual(1);
    expect(r.mig!.factors.map((f) => f.name)).toEqual(["shape", "scale", "rotation", "x", "y"]);
    expect(r.mig!.score).toBeGreaterThanOrEqual(0);
    expect(r.mig!.score).toBeLessThanOrEqual(1);
    expect(r.codebook).toBeNull();
    expect(r.subspace).toBeNull();
    expect(r.interpolation!.ratio!).toBeGreaterThanOrEqual(1 - 1e-6);
  });

  it("is reproducible, honours --limit, and with K=1 the IWAE bound is the ELBO", () => {
    const a = evalJson(dir, "--iwae-k", "1", "--limit", "7");
    const b = evalJson(dir, "--iwae-k", "1", "--limit", "7");
    expect(a).toEqual(b);
    expect(a.examples).toBe(7);
    expect(a.probe!.testExamples).toBe(7);
    expect(a.gaussian!.iwae!.bound).toBe(a.gaussian!.iwae!.elbo);
  });

  it("prints an aligned table by default", () => {
    const r = aespec(["eval", "run", "--backend", "cpu", "--iwae-k", "2"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^eval of run: model tiny_vae, epoch 2, test set, 20 examples$/m);
    const rows = r.stdout.split("\n").filter((l) => /^(metric|reconstruction mse|kl \(nats\)|iwae nll \(K = 2\)|mig) /.test(l));
    expect(rows).toHaveLength(5);
    const column = rows.map((l) => l.search(/ {2}\S/));
    expect(new Set(column).size).toBe(1); // values start in one column
  });

  it("--anomaly-class: the AUROC per score with the class counts; refusals located at the spec's data", () => {
    const r = evalJson(dir, "--iwae-k", "1", "--anomaly-class", "2");
    expect(r.anomaly).toMatchObject({ anomalyClass: 2, scored: "evaluated", examples: 20 });
    expect(r.anomaly!.anomalies + r.anomaly!.normals).toBe(20);
    expect(r.anomaly!.scores.map((s) => s.score)).toEqual(["reconstruction", "negative_elbo"]);
    const table = aespec(["eval", "run", "--backend", "cpu", "--iwae-k", "1", "--anomaly-class", "2"], dir);
    expect(table.stdout).toMatch(/^anomaly auroc, class 2 \(-elbo\) +\d/m);

    const absent = aespec(["eval", "run", "--backend", "cpu", "--anomaly-class", "5"], dir);
    expect(absent.status).toBe(1);
    expect(absent.stderr).toContain(
      "error AE3303: cannot score class 5 as the anomaly: it does not occur in the evaluated examples (test set) (classes 0, 1, 2)",
    );
    expect(absent.stderr).toContain("data: sprites(size: 8, count: 120)"); // the spec's line, shown
    const wrongShape = aespec(["eval", "run", "--backend", "cpu", "--anomaly-class", "5", "--anomaly-data", "mnist"], dir);
    expect(wrongShape.status).toBe(1);
    expect(wrongShape.stderr).toContain("error AE3303: cannot score mnist: its examples are [28, 28, 1], the model takes [8, 8, 1]");
    expect(aespec(["eval", "run", "--anomaly-data", "mnist"], dir).status).toBe(2);
    expect(aespec(["eval", "run", "--anomaly-class", "-1"], dir).status).toBe(2);
  });

  it("refuses an unreadable run with a located error, not a stack trace", () => {
    mkdirSync(join(dir, "broken"));
    writeFileSync(join(dir, "broken/ir.json"), "{ not json");
    for (const [run, why] of [
      ["no-such-run", "there is no such folder"],
      ["broken", "its ir.json is not valid JSON"],
    ] as const) {
      const r = aespec(["eval", run, "--backend", "cpu"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${run}: error AE3301: cannot evaluate '${run}': ${why}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(aespec(["eval", "run", "--iwae-k", "0"], dir).status).toBe(2);
  });
});

describe("aespec eval of a ladder VAE", () => {
  it("reports each level's KL against its own prior, as computed from the forward pass", async () => {
    const dir = tempDir("aespec-eval-ladder-");
    writeFileSync(
      join(dir, "ladder.aespec"),
      SPEC.replace("bottleneck: gaussian(3)", "bottleneck: ladder(skip: true) { gaussian(3) gaussian(2) }").replace("tiny_vae", "tiny_ladder"),
    );
    expect(aespec(["train", "ladder.aespec", "--backend", "cpu", "--out", "run"], dir).status).toBe(0);
    const r = evalJson(dir, "--limit", "9");
    expect(r.gaussian).toBeNull();
    const levels = r.ladder!.levels;
    expect(levels.map((l) => l.units)).toEqual([3, 2]);

    await useCpu();
    const loaded = loadRun(join(dir, "run"));
    if ("code" in loaded) throw new Error(loaded.message);
    const data = await loadData(loaded.ir.train.data!, { seed: 3 });
    if (!data.ok) throw new Error(data.diagnostic.message);
    const x = data.value.test!.x.subarray(0, 9 * 64);
    const own = tf.tidy(() => {
      const f = loaded.model.forward(tf.tensor(x, [9, 8, 8, 1]), { training: false, rng: new Rng(0) });
      return f.ladder!.levels.map((l) => {
        const [m, lv] = [l.mean.dataSync(), l.logVar.dataSync()];
        const [pm, plv] = [l.priorMean?.dataSync() ?? null, l.priorLogVar?.dataSync() ?? null];
        let kl = 0;
        for (let i = 0; i < m.length; i++) {
          const [mu, v, pmu, pv] = [m[i]!, Math.exp(lv[i]!), pm?.[i] ?? 0, Math.exp(plv?.[i] ?? 0)];
          kl += 0.5 * (Math.log(pv / v) + (v + (mu - pmu) ** 2) / pv - 1);
        }
        return kl / 9;
      });
    });
    loaded.model.dispose();
    expect(levels[0]!.kl).toBeCloseTo(own[0]!, 4);
    expect(levels[1]!.kl).toBeCloseTo(own[1]!, 4);
    expect(r.ladder!.kl).toBeCloseTo(own[0]! + own[1]!, 4);

    // The IWAE bound over samples of the whole hierarchy (default K = 50), and the ELBO from the same log-weights.
    const iwae = r.ladder!.iwae!;
    expect(iwae.samples).toBe(50);
    expect(Number.isFinite(iwae.elbo)).toBe(true);
    expect(iwae.bound).toBeGreaterThan(iwae.elbo);
    expect(iwae.nll).toBe(-iwae.bound);
    expect(r.notes.join("\n")).not.toContain("IWAE");
    const one = evalJson(dir, "--limit", "9", "--iwae-k", "1").ladder!.iwae!;
    expect(one.samples).toBe(1);
    expect(one.bound).toBe(one.elbo);
    // bernoulli on 64 pixels: the bound is a log-likelihood in nats, negative
    expect(one.bound).toBeLessThan(iwae.bound);
    expect(iwae.bound).toBeLessThan(0);
    // and the table prints the same bound
    const table = aespec(["eval", "run", "--backend", "cpu", "--limit", "9", "--iwae-k", "1"], dir);
    expect(table.stdout).toMatch(new RegExp(`iwae bound \\(K = 1\\)\\s+${num(one.bound).replace(/[-.]/g, "\\$&")}`));
  });
});

describe("aespec eval of a VQ model and of a linear one", () => {
  it("VQ: the usage histogram counts the forward pass's code indices", async () => {
    const dir = tempDir("aespec-eval-vq-");
    writeFileSync(
      join(dir, "vq.aespec"),
      `model tiny_vq {
  input: [8, 8, 1] in [0, 1]
  encoder { conv(8, kernel: 3, stride: 2) relu }
  bottleneck: vq(codes: 16, dim: 4)
  decoder { deconv(1, kernel: 3, stride: 2) sigmoid }
  loss { reconstruction(mse) commitment(beta: 0.25) }
  train { data: sprites(size: 8, count: 60) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 3 }
}
`,
    );
    expect(aespec(["train", "vq.aespec", "--backend", "cpu", "--out", "run"], dir).status).toBe(0);
    const r = evalJson(dir);
    await useCpu();
    const loaded = loadRun(join(dir, "run"));
    if ("code" in loaded) throw new Error(loaded.message);
    const data = await loadData(loaded.ir.train.data!, { seed: 3 });
    if (!data.ok) throw new Error(data.diagnostic.message);
    const test = data.value.test!;
    const indices = tf.tidy(() => loaded.model.forward(tf.tensor(test.x, [test.count, 8, 8, 1]), { training: false, rng: new Rng(0) }).vq!.indices.dataSync());
    loaded.model.dispose();
    const counts = new Array<number>(16).fill(0);
    for (const k of indices) counts[k]!++;
    const c = r.codebook!;
    expect(c.usage).toEqual(counts);
    expect(c.used).toBe(counts.filter((n) => n > 0).length);
    expect(c.dead).toBe(16 - c.used);
    const p = counts.map((n) => n / indices.length);
    expect(c.perplexity).toBeCloseTo(Math.exp(-p.reduce((s, q) => s + (q > 0 ? q * Math.log(q) : 0), 0)), 10);
    expect(r.pooledCodes).toBe(true);
    expect(r.gaussian).toBeNull();
  });

  it("a linear autoencoder: principal angles to PCA, small once trained", () => {
    const dir = tempDir("aespec-eval-linear-");
    writeFileSync(
      join(dir, "lin.aespec"),
      `model lin {
  input: [12]
  bottleneck: deterministic(3)
  decoder { dense(12) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 12, rank: 3, count: 1200) optimizer: adam(lr: 1e-2) batch: 64 epochs: 30 seed: 2 }
}
`,
    );
    expect(aespec(["train", "lin.aespec", "--backend", "cpu", "--out", "run"], dir).status).toBe(0);
    const r = evalJson(dir);
    expect(r.subspace!.components).toBe(3);
    expect(r.subspace!.anglesDegrees).toHaveLength(3);
    expect(r.subspace!.maxDegrees).toBe(Math.max(...r.subspace!.anglesDegrees));
    expect(r.subspace!.maxDegrees).toBeLessThan(5);
    // Against the PCA of all 1,200 training examples, and of the 200 test examples beside it.
    expect(r.subspace!.trainExamples).toBe(1200);
    expect(r.subspace!.evaluated).toMatchObject({ split: "test", examples: 200 });
    expect(r.subspace!.evaluated!.maxDegrees).toBe(Math.max(...r.subspace!.evaluated!.anglesDegrees));
    // a linear decoder maps a straight line in the latent to a straight line
    expect(r.interpolation!.ratio).toBeCloseTo(1, 4);
    expect(r.probe).toBeNull();
    expect(r.mig).toBeNull();
    expect(r.reconstruction.bce).toBeNull();
  });
});
