/**
 * The contractive term: the penalty against a finite-difference Jacobian of
 * the real model's code, its parameter gradient against finite differences,
 * the probe estimator's mean against the exact value, the encoders it
 * refuses, and a short run of specs/deep.aespec's `contractive`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import type { TfModel } from "../../../../targets/tfjs/model-api.js";
import { codeJacobianSquaredNorms, contractivePenalty, PROBES } from "../../../../targets/tfjs/train/losses/contractive.js";
import { unsupportedTerms } from "../../../../targets/tfjs/train/losses/index.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { deepModel, mnistSubset, weights } from "../variants/helpers.js";
import { irOf, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

const WEIGHT = 0.5;

/** A model around `encoder` (no data: these tests feed their own inputs). */
function encoderSpec(input: string, encoder: string, bottleneck: string): string {
  const features = (JSON.parse(input) as number[]).reduce((a, b) => a * b, 1);
  return `model m {
  input: ${input}
  encoder { ${encoder} }
  bottleneck: ${bottleneck}
  decoder { flatten dense(${features}) reshape(${input}) }
  loss {
    reconstruction(mse)
    contractive(weight: ${WEIGHT})
  }
  // He's larger weights: the float32 finite differences need Jacobians well above their rounding
  // noise (under torch's, |dz/dx|^2 is about 4e-4 and the differences' error 1e-4).
  train { init: he }
}
`;
}

/** Random inputs [batch, ...shape], standard normal, from a seed. */
function inputs(shape: readonly number[], batch: number, seed: number): tf.Tensor {
  const rng = new Rng(seed, "x");
  const n = batch * shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal()),
    [batch, ...shape],
  );
}

/** The code as the model's own forward pass gives it (evaluation): the latent, or the Gaussian's mean. */
function code(model: TfModel, x: tf.Tensor): tf.Tensor2D {
  const f = model.forward(x, { training: false, rng: new Rng(0, "unused") });
  return (f.gaussian?.mean ?? f.latent) as tf.Tensor2D;
}

/** Per-example |J|_F^2 from central differences of the model's forward pass, in float64. */
function finiteDifferenceNorms(model: TfModel, x: tf.Tensor, eps = 1e-2): number[] {
  const [batch, ...shape] = x.shape;
  const features = shape.reduce((a, b) => a * b, 1);
  const base = Float32Array.from(x.dataSync());
  const norms = new Array<number>(batch!).fill(0);
  for (let j = 0; j < features; j++) {
    const shifted = (sign: number) =>
      tf.tidy(() => {
        const v = base.slice();
        for (let n = 0; n < batch!; n++) v[n * features + j]! += sign * eps;
        return Array.from(code(model, tf.tensor(v, x.shape)).dataSync());
      });
    const plus = shifted(1);
    const minus = shifted(-1);
    const units = plus.length / batch!;
    for (let n = 0; n < batch!; n++) {
      for (let u = 0; u < units; u++) norms[n]! += ((plus[n * units + u]! - minus[n * units + u]!) / (2 * eps)) ** 2;
    }
  }
  return norms;
}

function build(ir: IrModel, seed = 5): TfModel {
  return createModel(ir, new Rng(seed, "init"));
}

const CASES: ReadonlyArray<{ name: string; input: string; encoder: string; bottleneck: string }> = [
  { name: "tanh, deterministic", input: "[5]", encoder: "dense(7) tanh dense(6) tanh", bottleneck: "deterministic(3)" },
  { name: "sigmoid and softplus, gaussian", input: "[5]", encoder: "dense(7) sigmoid dense(6) softplus", bottleneck: "gaussian(3)" },
  { name: "gelu and elu, flatten of a map", input: "[2, 3, 1]", encoder: "flatten dense(7) gelu dense(6) elu", bottleneck: "deterministic(4)" },
  { name: "relu and leaky_relu, gaussian", input: "[5]", encoder: "dense(8) relu dense(6) leaky_relu", bottleneck: "gaussian(2)" },
  { name: "no encoder layers (the head alone)", input: "[5]", encoder: "", bottleneck: "deterministic(3)" },
  {
    name: "activation straight on the input, then a dropout (evaluation: identity)",
    input: "[5]",
    encoder: "tanh dense(6) dropout(0.3) sigmoid",
    bottleneck: "deterministic(3)",
  },
];

describe("the penalty is weight times the mean over the batch of |dz/dx|_F^2", () => {
  for (const c of CASES) {
    it(`${c.name}: equals a finite-difference Jacobian's, per example, batch of 4`, () => {
      const ir = irOf(encoderSpec(c.input, c.encoder, c.bottleneck));
      expect(unsupportedTerms(ir)).toEqual([]);
      const model = build(ir);
      const x = inputs(ir.input.shape, 4, 11);
      const expected = finiteDifferenceNorms(model, x);
      const { norms, sameCode, penalty } = tf.tidy(() => {
        const r = codeJacobianSquaredNorms(model, x, { training: false, rng: new Rng(1, "t") });
        const diff = tf.max(tf.abs(tf.sub(r.code, code(model, x)))).dataSync()[0]!;
        const p = contractivePenalty(WEIGHT, model, x, { training: false, rng: new Rng(1, "t") }).dataSync()[0]!;
        return { norms: Array.from(r.norms.dataSync()), sameCode: diff, penalty: p };
      });
      // The re-run of the encoder gives the model's own code.
      expect(sameCode).toBeLessThan(1e-6);
      // The examples differ (but for a linear encoder): per-example values are compared.
      expect(new Set(expected.map((v) => v.toFixed(3))).size).toBe(c.encoder === "" ? 1 : 4);
      norms.forEach((v, n) => expect(Math.abs(v - expected[n]!), `example ${n}: ${v} vs ${expected[n]}`).toBeLessThan(2e-3 * expected[n]! + 1e-4));
      const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
      expect(penalty).toBeCloseTo(WEIGHT * mean, 3);
      x.dispose();
      model.dispose();
    });
  }

  it("the Gram product W^T W for the first layer (input wider than the layer, many rows) gives the same as the direct product", () => {
    // 40 inputs into 3 units, batch 64 x 2 rows: the Gram path; batch 1: the direct one. Same examples, same values.
    const ir = irOf(encoderSpec("[40]", "dense(3) tanh", "deterministic(2)"));
    const model = build(ir);
    const x = inputs([40], 64, 3);
    const [all, one] = tf.tidy(() => {
      const a = codeJacobianSquaredNorms(model, x, { training: false, rng: new Rng(1, "t") }).norms.dataSync();
      const o = codeJacobianSquaredNorms(model, tf.slice(x, [5, 0], [1, 40]), { training: false, rng: new Rng(1, "t") }).norms.dataSync();
      return [a, o];
    });
    expect(one[0]!).toBeCloseTo(all[5]!, 4);
    const fd = finiteDifferenceNorms(model, tf.slice(x, [5, 0], [1, 40]));
    expect(Math.abs(all[5]! - fd[0]!)).toBeLessThan(2e-3 * fd[0]! + 1e-4);
    x.dispose();
    model.dispose();
  });
});

describe("the penalty's gradient reaches every weight of the encoder and the code head", () => {
  // The last: the probe estimate in training, its probes the same at every evaluation (the same seed).
  const GRAD_CASES = [...[CASES[0]!, CASES[1]!, CASES[2]!, CASES[3]!].map((c) => ({ ...c, rows: "exact" as const })), { ...CASES[0]!, rows: 2 }];
  for (const c of GRAD_CASES) {
    it(`${c.name}, ${c.rows === "exact" ? "exact" : `${c.rows} probes`}: against central differences of the penalty`, () => {
      const ir = irOf(encoderSpec(c.input, c.encoder, c.bottleneck));
      const model = build(ir, 8);
      const x = inputs(ir.input.shape, 3, 21);
      const penalty = () => contractivePenalty(WEIGHT, model, x, { training: c.rows !== "exact", rng: new Rng(1, "t"), rows: c.rows });
      const { grads } = tf.variableGrads(
        penalty,
        model.trainable.map((v) => v.variable),
      );
      const reached = model.trainable.filter(
        (v) => v.name.startsWith("encoder") || v.name.startsWith("bottleneck.kernel") || v.name.startsWith("bottleneck.mean.kernel"),
      );
      expect(reached.length).toBeGreaterThan(0);
      const pick = new Rng(4, "pick");
      for (const v of model.trainable) {
        const g = grads[v.variable.name]?.dataSync();
        const size = v.variable.size;
        for (let k = 0; k < 4; k++) {
          const i = Math.floor(pick.next() * size);
          const original = v.variable.dataSync()[i]!;
          const at = (delta: number) => {
            const values = Float32Array.from(v.variable.dataSync());
            values[i] = original + delta;
            v.variable.assign(tf.tensor(values, v.variable.shape));
            return tf.tidy(() => penalty().dataSync()[0]!);
          };
          const eps = 1e-2;
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          at(0);
          const analytic = g === undefined ? 0 : g[i]!;
          expect(Math.abs(analytic - numeric), `${v.name}[${i}]: ${analytic} vs ${numeric}`).toBeLessThan(3e-3 + 2e-2 * Math.abs(numeric));
        }
      }
      // Weights it depends on get a non-zero gradient (not a vacuous match of zeros).
      for (const v of reached.filter((v) => v.name.endsWith("kernel")))
        expect(
          tf.tidy(() => tf.max(tf.abs(grads[v.variable.name]!)).dataSync()[0]!),
          v.name,
        ).toBeGreaterThan(1e-4);
      tf.dispose(Object.values(grads));
      x.dispose();
      model.dispose();
    });
  }
});

describe(`in training with more than ${PROBES} code units: Hutchinson's estimate with random sign probes`, () => {
  it("is unbiased: its mean over many draws is the exact value, and a single draw differs from it", () => {
    const ir = irOf(encoderSpec("[5]", "dense(8) tanh", "deterministic(12)"));
    const model = build(ir);
    const x = inputs([5], 2, 9);
    const exact = tf.tidy(() => Array.from(codeJacobianSquaredNorms(model, x, { training: false, rng: new Rng(1, "t") }).norms.dataSync()));
    const rng = new Rng(2, "probes");
    const draws = 400;
    const sums = [0, 0];
    const squares = [0, 0];
    const firsts: number[] = [];
    for (let d = 0; d < draws; d++) {
      // Default rows in training: PROBES probes, since 12 > PROBES.
      const v = tf.tidy(() => Array.from(codeJacobianSquaredNorms(model, x, { training: true, rng }).norms.dataSync()));
      if (d === 0) firsts.push(...v);
      v.forEach((e, n) => {
        sums[n]! += e;
        squares[n]! += e * e;
      });
    }
    expect(firsts.some((v, n) => Math.abs(v - exact[n]!) > 1e-3 * exact[n]!)).toBe(true);
    exact.forEach((e, n) => {
      const mean = sums[n]! / draws;
      const sd = Math.sqrt(squares[n]! / draws - mean * mean);
      expect(sd).toBeGreaterThan(0);
      // Within 4 standard errors of the exact value.
      expect(Math.abs(mean - e), `example ${n}: mean ${mean}, exact ${e}, sd ${sd}`).toBeLessThan((4 * sd) / Math.sqrt(draws));
    });
    x.dispose();
    model.dispose();
  });

  it("is exact in evaluation, and in training when the code has at most PROBES units", () => {
    const ir = irOf(encoderSpec("[5]", "dense(8) tanh", `deterministic(${PROBES})`));
    const model = build(ir);
    const x = inputs([5], 3, 9);
    const [train, evaluation] = tf.tidy(() =>
      [true, false].map((training) => Array.from(codeJacobianSquaredNorms(model, x, { training, rng: new Rng(3, "t") }).norms.dataSync())),
    );
    expect(train).toEqual(evaluation);
    x.dispose();
    model.dispose();
  });
});

describe("encoders whose Jacobian the closed form does not cover are refused before training (AE3102 at the term)", () => {
  const refused: ReadonlyArray<{ input: string; encoder: string; bottleneck: string; names: string; at: string }> = [
    { input: "[4, 4, 1]", encoder: "conv(2, kernel: 3) relu flatten", bottleneck: "deterministic(2)", names: "conv", at: "conv(2, kernel: 3)" },
    { input: "[5]", encoder: "dense(4) batchnorm relu", bottleneck: "deterministic(2)", names: "batchnorm", at: "batchnorm" },
    { input: "[5]", encoder: "dense(4) layernorm", bottleneck: "gaussian(2)", names: "layernorm", at: "layernorm" },
    { input: "[2, 3, 1]", encoder: "dense(4) flatten", bottleneck: "deterministic(2)", names: "dense on a map [2,3,1]", at: "dense(4)" },
    { input: "[2, 3, 1]", encoder: "relu", bottleneck: "deterministic(2)", names: "bottleneck on a map [2,3,1]", at: "deterministic(2)" },
  ];
  for (const r of refused) {
    it(`${r.encoder} / ${r.bottleneck}: names ${r.names}, with the layer as related span`, () => {
      const text = encoderSpec(r.input, r.encoder, r.bottleneck);
      const ds = unsupportedTerms(irOf(text));
      expect(ds.map((d) => d.code)).toEqual(["AE3102"]);
      expect(text.slice(ds[0]!.span.start, ds[0]!.span.end)).toBe(`contractive(weight: ${WEIGHT})`);
      expect(ds[0]!.message).toContain(r.names);
      const related = ds[0]!.related[0]!.span;
      expect(text.slice(related.start, related.end)).toBe(r.at);
    });
  }
});

describe("--resume with the contractive term", () => {
  it("2 epochs, stop, resume to 4: the same weights, bit for bit, as 4 straight (probes and dropout masks come from the run's stream)", async () => {
    const text = `model m {
  input: [6]
  encoder { dense(8) tanh dropout(0.2) }
  bottleneck: deterministic(${PROBES + 2})
  decoder { dense(6) }
  loss {
    reconstruction(mse)
    contractive(weight: 0.1)
  }
  train {
    data: lowrank(dim: 6, rank: 2, count: 48)
    optimizer: adam(lr: 1e-2)
    batch: 16
    epochs: 4
    seed: 5
  }
}
`;
    const straight = join(tempDir(), "straight");
    const resumed = join(tempDir(), "resumed");
    const run = async (overrides: string[], outDir: string, resume = false) => {
      const r = await train(irOf(text, overrides), { outDir, resume });
      r.model?.dispose();
      expect(r.status).toBe("completed");
    };
    await run([], straight);
    await run(["train.epochs=2"], resumed);
    await run([], resumed, true);
    const weightsOf = (dir: string) => readFileSync(join(dir, "checkpoint/weights.bin"));
    expect(weightsOf(resumed).equals(weightsOf(straight))).toBe(true);
  });
});

describe("specs/deep.aespec contractive trains", () => {
  it("a short run (4 steps on 64 MNIST images): completed, a finite positive contractive term, every variable moved", async () => {
    const file = await mnistSubset(64);
    const ir = deepModel("contractive", [`train.data="${file}"`, "train.epochs=1", "train.batch=16"]);
    expect(unsupportedTerms(ir)).toEqual([]);
    const initial = createModel(ir, new Rng(ir.train.seed, "init"));
    const before = weights(initial);
    initial.dispose();
    const r = await train(ir);
    expect(r.status).toBe("completed");
    expect(r.history[0]!.steps).toBe(4);
    const terms = r.history[0]!.train.terms as Record<string, number>;
    expect(terms["contractive"]).toBeGreaterThan(0);
    expect(Number.isFinite(r.history[0]!.train.total)).toBe(true);
    for (const [name, w] of weights(r.model!)) expect(w, name).not.toEqual(before.get(name));
    r.model!.dispose();
  }, 60_000);
});
