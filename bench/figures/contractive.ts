/**
 * Contractive figure: the encoder's Jacobian Frobenius norm |dz/dx|_F on
 * MNIST test images (exact, evaluation mode), for specs/deep.aespec's
 * `contractive` against the plain `deep_ae` of the same shape, both trained
 * the same epochs from the same seed; beside it their test reconstruction
 * errors. Then what the penalty costs on this backend: a training step of
 * each model, the penalty's forward and backward pass exact and with probes,
 * and the spread of the probe estimate on a test batch.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../src/data/rng.js";
import type { IrModel } from "../../src/ir/model.js";
import { buildModel, type TfModel } from "../../targets/tfjs/index.js";
import { batchTensor } from "../../targets/tfjs/train/batches.js";
import { codeJacobianSquaredNorms, PROBES } from "../../targets/tfjs/train/losses/contractive.js";
import { BERNOULLI_CLIP } from "../../targets/tfjs/train/losses/reconstruction.js";
import { disposeOptimizer, makeOptimizer } from "../../targets/tfjs/train/optimizers.js";
import { trainStep } from "../../targets/tfjs/train/step.js";
import type { Figure } from "./run.js";
import { overBatches, row, specModel, testSet, trainModel } from "./common.js";

const EPOCHS = 2;
/** Test images the Jacobian is measured on (the first of the test set). */
const JACOBIAN_IMAGES = 1000;
const TIMED_STEPS = 15;

/** Per example sums: [|J|_F, |J|_F^2, squared error, binary cross-entropy]. */
function scores(model: TfModel, x: tf.Tensor): tf.Tensor1D {
  const n = x.shape[0]!;
  const norms = codeJacobianSquaredNorms(model, x, { training: false, rng: new Rng(0, "unused") }).norms;
  const r = model.forward(x, { training: false, rng: new Rng(0, "unused") }).reconstruction;
  const p = tf.clipByValue(r, BERNOULLI_CLIP, 1 - BERNOULLI_CLIP);
  const bce = tf.neg(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))));
  return tf.stack([
    tf.sum(tf.sqrt(norms)),
    tf.sum(norms),
    tf.sum(tf.squaredDifference(tf.reshape(x, [n, -1]), tf.reshape(r, [n, -1]))),
    tf.sum(bce),
  ]) as tf.Tensor1D;
}

/** Fastest of the runs after two warm-up runs, in milliseconds: on a shared machine the least disturbed one. */
async function timeIt(steps: number, f: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    await f();
    if (i >= 2) times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

/** The trainer's own step on one fixed MNIST training batch of the spec's size, from fresh weights. */
async function stepMs(ir: IrModel, x: tf.Tensor): Promise<number> {
  const model = buildModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  const rng = new Rng(ir.train.seed, "train");
  try {
    return await timeIt(TIMED_STEPS, async () => {
      const out = await trainStep({ model, ir, optimizer, x, rng, progress: 0, stats: null });
      if (!out.ok) throw new Error(`${ir.name}: ${out.culprit} is not finite`);
    });
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
  }
}

/** The penalty's value and its gradient to every weight, with the given rows. */
async function penaltyMs(model: TfModel, x: tf.Tensor, rows: "exact" | number): Promise<number> {
  const rng = new Rng(1, "figure/contractive/time");
  return timeIt(TIMED_STEPS, async () => {
    const { value, grads } = tf.variableGrads(
      () => tf.mean(codeJacobianSquaredNorms(model, x, { training: true, rng, rows }).norms) as tf.Scalar,
      model.trainable.map((v) => v.variable),
    );
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  });
}

export async function figure(): Promise<Figure> {
  return {
    title: `encoder Jacobian norm |dz/dx|_F on MNIST test images, contractive vs plain deep_ae (${EPOCHS} epochs each), and the penalty's cost`,
    run: async () => {
      const overrides = [`train.epochs=${EPOCHS}`];
      const plainIr = specModel("deep.aespec", "deep_ae", overrides);
      const contractiveIr = specModel("deep.aespec", "contractive", overrides);
      const test = await testSet(plainIr);
      const batch = plainIr.train.batch;
      const x = batchTensor(test, null, 0, batch);
      const units = contractiveIr.bottleneck.kind === "deterministic" ? contractiveIr.bottleneck.units : 0;

      console.log(`    cost on this backend, batch ${batch}, fastest of ${TIMED_STEPS} (ms):`);
      const plainStep = await stepMs(plainIr, x);
      const contractiveStep = await stepMs(contractiveIr, x);
      console.log(
        `      training step: deep_ae ${plainStep.toFixed(1)}, contractive ${contractiveStep.toFixed(1)} (${(contractiveStep / plainStep).toFixed(2)}x; ${PROBES} probes)`,
      );
      const fresh = buildModel(contractiveIr, new Rng(contractiveIr.train.seed, "init"));
      const costs: string[] = [];
      for (const rows of ["exact", 8, 4, 2, 1] as const) {
        const label = rows === "exact" ? `exact (${units} rows)` : `${rows} probe${rows === 1 ? "" : "s"}${rows === PROBES ? " (used)" : ""}`;
        costs.push(`${label} ${(await penaltyMs(fresh, x, rows)).toFixed(1)}`);
      }
      fresh.dispose();
      console.log(`      penalty with its gradient alone: ${costs.join(", ")}`);

      const models: [string, TfModel][] = [
        ["deep_ae", await trainModel(plainIr)],
        ["contractive", await trainModel(contractiveIr)],
      ];
      const widths = [12, 14, 16, 12, 14];
      const jacobianImages = Math.min(JACOBIAN_IMAGES, test.count);
      console.log(`    |J|_F: mean over the first ${jacobianImages} test images (exact); errors over all ${test.count}: MSE per pixel, BCE nats per image`);
      console.log(`    ${row(["model", "mean |J|_F", "mean |J|_F^2", "MSE/pixel", "BCE nats/image"], widths)}`);
      const pixels = test.shape.reduce((a, b) => a * b, 1);
      for (const [label, model] of models) {
        const jac = await overBatches(test, 250, (xb) => scores(model, xb), jacobianImages);
        const all = await overBatches(test, 500, (xb) => tf.slice(scores(model, xb), [2], [2]) as tf.Tensor1D);
        console.log(
          `    ${row([label, (jac[0]! / jacobianImages).toFixed(3), (jac[1]! / jacobianImages).toFixed(3), (all[0]! / test.count / pixels).toFixed(5), (all[1]! / test.count).toFixed(2)], widths)}`,
        );
      }

      // The probe estimate's spread on one test batch, for the trained contractive model, beside the
      // spread that sampling the batch itself gives the batch mean (the sd of the per-example values / sqrt(batch)).
      const trained = models[1]![1];
      const perExample = tf.tidy(() => Array.from(codeJacobianSquaredNorms(trained, x, { training: false, rng: new Rng(0, "unused") }).norms.dataSync()));
      const exact = perExample.reduce((a, b) => a + b, 0) / perExample.length;
      const sampling = Math.sqrt(perExample.reduce((a, b) => a + (b - exact) ** 2, 0) / (perExample.length - 1) / perExample.length);
      const spreads: string[] = [];
      for (const k of [1, 2, 4, 8]) {
        const rng = new Rng(2, "figure/contractive/probes");
        const draws = Array.from({ length: 40 }, () =>
          tf.tidy(() => tf.mean(codeJacobianSquaredNorms(trained, x, { training: true, rng, rows: k }).norms).dataSync()[0]!),
        );
        const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
        const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
        spreads.push(`${k} probe${k === 1 ? "" : "s"}: mean ${mean.toFixed(3)}, sd ${sd.toFixed(4)} (${((100 * sd) / exact).toFixed(1)}%)`);
      }
      console.log(
        `    contractive, one test batch of ${batch}: batch-mean |J|_F^2 exact ${exact.toFixed(3)}, its sd from sampling the batch ${sampling.toFixed(4)} (${((100 * sampling) / exact).toFixed(1)}%)`,
      );
      console.log(`      probe estimates over 40 draws: ${spreads.join("; ")}`);

      x.dispose();
      for (const [, m] of models) m.dispose();
    },
  };
}
