/**
 * The ladder's importance samples against a float64 computation of their own
 * from the model's weights, replaying the eval stream's draws; the bounds of a
 * tiny trained ladder; the sampleLatent flag on a Gaussian bottleneck.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { tfjsPort } from "../../../../targets/tfjs/eval/tfjs-port.js";
import { evaluateRun } from "../../../../targets/tfjs/eval/evaluate-run.js";
import { importanceSampler } from "../../../../src/eval/importance-samples.js";
import { ladderImportanceLogWeights } from "../../../../src/eval/ladder-importance.js";
import { buildModel } from "../../../../targets/tfjs/model/build.js";
import type { TfModel } from "../../../../targets/tfjs/model-api.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, spec, tempDir, useCpu } from "../train/helpers.js";

beforeAll(() => useCpu());

type Rows = number[][];
const LOG_2PI = Math.log(2 * Math.PI);

/** log N(z; m, e^lv) summed over units, written out here rather than taken from src/metrics. */
const logNormal = (z: number[], m: number[] | null, lv: number[] | null) =>
  z.reduce((s, v, u) => s - 0.5 * ((v - (m?.[u] ?? 0)) ** 2 / Math.exp(lv?.[u] ?? 0) + (lv?.[u] ?? 0) + LOG_2PI), 0);

/** A dense map of rows by the model's variables `${name}.kernel` [in, out] and `.bias`, in float64. */
function denseOf(model: TfModel, name: string): (x: Rows) => Rows {
  const get = (n: string) => model.trainable.find((w) => w.name === n)!.variable;
  const k = get(`${name}.kernel`);
  const [inF, outF] = k.shape as [number, number];
  const kd = Array.from(k.dataSync());
  const bd = Array.from(get(`${name}.bias`).dataSync());
  return (x) => x.map((r) => Array.from({ length: outF }, (_, j) => r.slice(0, inF).reduce((s, v, i) => s + v * kd[i * outF + j]!, bd[j]!)));
}
const elu = (x: Rows) => x.map((r) => r.map((v) => (v > 0 ? v : Math.exp(v) - 1)));

/**
 * log w of K samples of one example x, by docs/ladder-vae.md with the merge in its precision form:
 * encoder dense + relu (dropout is the identity in evaluation), levels [3, 2, 2] with skip, decoder dense + sigmoid, bernoulli.
 */
function referenceLogWeights(model: TfModel, x: number[], k: number, rng: Rng): number[] {
  const units = [3, 2, 2];
  const top = units.length - 1;
  const at = (i: number, w: string) => denseOf(model, `bottleneck.level${i}.${w}`);
  let d: Rows = denseOf(model, "encoder.0")(Array.from({ length: k }, () => x)).map((r) => r.map((v) => Math.max(0, v)));
  const q = units.map((_, i) => {
    d = elu(at(i, "up")(d));
    return { mean: at(i, "q_mean")(d), logVar: at(i, "q_logvar")(d) };
  });
  // eps of a level: all K rows of it, row-major, levels top first (normalTensor of a [K, units] tensor).
  const sample = (m: Rows, lv: Rows) => m.map((r, n) => r.map((v, u) => v + Math.exp(lv[n]![u]! / 2) * rng.normal()));
  const logW = new Array<number>(k).fill(0);
  let z = sample(q[top]!.mean, q[top]!.logVar);
  z.forEach((r, n) => (logW[n]! += logNormal(r, null, null) - logNormal(r, q[top]!.mean[n]!, q[top]!.logVar[n]!)));
  let t: Rows | null = null;
  for (let i = top - 1; i >= 0; i--) {
    const input: Rows = t === null ? z : z.map((r, n) => [...r, ...t![n]!]);
    t = elu(at(i, "down")(input));
    const pm = at(i, "p_mean")(t);
    const plv = at(i, "p_logvar")(t);
    const mean: Rows = [];
    const logVar: Rows = [];
    q[i]!.mean.forEach((r, n) =>
      r.forEach((mq, u) => {
        const [pq, pp] = [Math.exp(-q[i]!.logVar[n]![u]!), Math.exp(-plv[n]![u]!)];
        (mean[n] ??= []).push((mq * pq + pm[n]![u]! * pp) / (pq + pp));
        (logVar[n] ??= []).push(-Math.log(pq + pp));
      }),
    );
    z = sample(mean, logVar);
    z.forEach((r, n) => (logW[n]! += logNormal(r, pm[n]!, plv[n]!) - logNormal(r, mean[n]!, logVar[n]!)));
  }
  const r = denseOf(model, "decoder.0")(z).map((row) => row.map((v) => 1 / (1 + Math.exp(-v))));
  r.forEach((row, n) => (logW[n]! += row.reduce((s, p, f) => s + x[f]! * Math.log(p) + (1 - x[f]!) * Math.log(1 - p), 0)));
  return logW;
}

describe("a ladder's importance log-weights", () => {
  const ir = irOf(`model l {
  input: [5] in [0, 1]
  corrupt: gaussian(sigma: 0.5)
  encoder { dense(4) relu dropout(0.5) }
  bottleneck: ladder(skip: true) { gaussian(3) gaussian(2) gaussian(2) }
  decoder { dense(5) sigmoid }
  loss { reconstruction(bernoulli) kl() }
}`);
  const x = Float32Array.from({ length: 3 * 5 }, (_, i) => (i * 0.37) % 1);

  it("equal a float64 computation replaying the same draws (no corruption, no dropout)", async () => {
    const model = buildModel(ir, new Rng(11, "init"));
    const port = tfjsPort(model, 0);
    for (const k of [1, 2]) {
      const w = await ladderImportanceLogWeights(port, importanceSampler(4, k, "bernoulli"), x.subarray(0, 5), 1);
      const own = referenceLogWeights(model, Array.from(x.subarray(0, 5)), k, new Rng(4, "eval"));
      expect(w).toHaveLength(k);
      for (let j = 0; j < k; j++) expect(Math.abs(w[j]! - own[j]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(own[j]!)));
    }
    model.dispose();
  });

  it("do not depend on how the examples are split into batches; another seed draws others", async () => {
    const model = buildModel(ir, new Rng(11, "init"));
    const port = tfjsPort(model, 0);
    const sampler = (seed: number) => importanceSampler(seed, 3, "bernoulli");
    const whole = await ladderImportanceLogWeights(port, sampler(7), x, 3);
    const s = sampler(7);
    const first = await ladderImportanceLogWeights(port, s, x.subarray(0, 5), 1);
    const rest = await ladderImportanceLogWeights(port, s, x.subarray(5), 2);
    expect(Array.from(whole)).toEqual([...first, ...rest]);
    const other = await ladderImportanceLogWeights(port, sampler(8), x, 3);
    expect(Math.max(...Array.from(whole, (v, i) => Math.abs(v - other[i]!)))).toBeGreaterThan(1e-3);
    model.dispose();
  });
});

describe("the IWAE bound of a tiny trained ladder", () => {
  it("K = 1 gives the ELBO exactly; the bound is above the ELBO and grows with K", async () => {
    const run = tempDir("aespec-eval-ladder-iwae-");
    const ir = irOf(`model l {
  input: [6]
  encoder { dense(8) tanh }
  bottleneck: ladder(skip: true) { gaussian(3) gaussian(2) }
  decoder { dense(8) tanh dense(6) }
  loss { reconstruction(gaussian) kl() }
  train { data: lowrank(dim: 6, rank: 2, count: 600) optimizer: adam(lr: 1e-2) batch: 16 epochs: 3 seed: 3 }
}`);
    const r = await train(ir, { outDir: run });
    r.model?.dispose();
    expect(r.status).toBe("completed");
    const bounds = [];
    for (const k of [1, 4, 32]) {
      const e = await evaluateRun(run, { iwaeSamples: k, limit: 100 });
      if (!e.ok) throw new Error(e.diagnostic.message);
      expect(e.value.gaussian).toBeNull();
      expect(e.value.notes.join()).not.toContain("IWAE");
      const iwae = e.value.ladder!.iwae!;
      expect(iwae.samples).toBe(k);
      expect(iwae.nll).toBe(-iwae.bound);
      expect(Number.isFinite(iwae.elbo)).toBe(true);
      if (k === 1) expect(iwae.bound).toBe(iwae.elbo);
      else expect(iwae.bound).toBeGreaterThan(iwae.elbo);
      bounds.push(iwae.bound);
    }
    expect(bounds[1]!).toBeGreaterThan(bounds[0]!);
    expect(bounds[2]!).toBeGreaterThan(bounds[1]!);
  }, 60_000);
});

describe("ForwardOptions.sampleLatent", () => {
  it("a Gaussian bottleneck: mean + exp(logVar / 2) eps from the Rng, decoded; without it the mean", () => {
    const model = buildModel(irOf(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse) kl()" })), new Rng(5, "init"));
    const x = tf.tensor2d(
      Float32Array.from({ length: 3 * 6 }, (_, i) => Math.cos(i)),
      [3, 6],
    );
    const [latent, mean, logVar, plain] = tf.tidy(() => {
      const f = model.forward(x, { training: false, sampleLatent: true, rng: new Rng(9, "s") });
      const g = model.forward(x, { training: false, rng: new Rng(9, "s") });
      return [f.latent.dataSync(), f.gaussian!.mean.dataSync(), f.gaussian!.logVar.dataSync(), g.latent.dataSync()];
    });
    const rng = new Rng(9, "s");
    latent.forEach((v, i) => expect(v).toBeCloseTo(mean[i]! + Math.exp(logVar[i]! / 2) * rng.normal(), 5));
    expect(Array.from(plain)).toEqual(Array.from(mean));
    x.dispose();
    model.dispose();
  });
});
