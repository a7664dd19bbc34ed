/**
 * Masked figure: fresh masks on the MNIST test set (the spec's patch and
 * ratio, a fixed seed, the same masks for every predictor), the error on the
 * hidden pixels only. The masked model and the plain deep_ae (trained the
 * same epochs from the same seed, on unmasked images) are given the masked
 * image in evaluation mode; the mean patch predicts each hidden pixel by the
 * training set's mean image there.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "../../src/data/dataset.js";
import { loadData } from "../../src/data/load.js";
import { Rng } from "../../src/data/rng.js";
import type { IrModel } from "../../src/ir/model.js";
import type { TfModel } from "../../targets/tfjs/index.js";
import { CORRUPTIONS } from "../../targets/tfjs/model/corruptions.js";
import type { Figure } from "./run.js";
import { overBatches, row, specModel, testSet, trainModel } from "./common.js";

const EPOCHS = 3;
const BATCH = 500;

async function trainingMean(ir: IrModel): Promise<tf.Tensor> {
  const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!loaded.ok) throw new Error(loaded.diagnostic.message);
  const ds: Dataset = loaded.value.train;
  const per = ds.shape.reduce((a, b) => a * b, 1);
  const mean = new Float64Array(per);
  for (let i = 0; i < ds.x.length; i++) mean[i % per]! += ds.x[i]!;
  return tf.tensor(
    Float32Array.from(mean, (v) => v / ds.count),
    [1, ...ds.shape],
  );
}

export async function figure(): Promise<Figure> {
  return {
    title: `MSE on hidden patches of masked MNIST test images: masked model vs the mean patch and the plain deep_ae (${EPOCHS} epochs each)`,
    run: async () => {
      const overrides = [`train.epochs=${EPOCHS}`];
      const maskedIr = specModel("deep.aespec", "masked", overrides);
      const plainIr = specModel("deep.aespec", "deep_ae", overrides);
      const mask = maskedIr.corruption;
      if (mask === null || mask.kind !== "mask") throw new Error("specs/deep.aespec: masked no longer has a mask corruption");
      const mean = await trainingMean(maskedIr);
      const predictors: [string, TfModel | null][] = [
        ["masked", await trainModel(maskedIr)],
        ["deep_ae", await trainModel(plainIr)],
        ["mean patch", null],
      ];
      const test = await testSet(maskedIr);
      const pixels = test.shape.reduce((a, b) => a * b, 1);
      const hiddenPixels = mask.hidden * mask.patch * mask.patch * test.shape[2]!;
      console.log(
        `    ${test.count} test images, mask(patch: ${mask.patch}, ratio: ${mask.ratio}): ${mask.hidden} of ${mask.patches} patches hidden (${hiddenPixels} of ${pixels} pixels); MSE per pixel`,
      );
      const widths = [14, 14, 14];
      console.log(`    ${row(["predictor", "hidden MSE", "visible MSE"], widths)}`);
      for (const [label, model] of predictors) {
        // The same masks for every predictor: the stream restarts at each row.
        const rng = new Rng(1234, "figure/masked");
        const sums = await overBatches(test, BATCH, (x) => {
          const { encoderInput, hidden } = CORRUPTIONS.mask(x, mask, maskedIr.input.range, rng);
          const r = model === null ? tf.broadcastTo(mean, x.shape) : model.forward(encoderInput, { training: false, rng }).reconstruction;
          const err = tf.squaredDifference(x, r);
          return tf.stack([tf.sum(tf.mul(err, hidden!)), tf.sum(tf.mul(err, tf.sub(1, hidden!)))]) as tf.Tensor1D;
        });
        const hiddenMse = sums[0]! / (test.count * hiddenPixels);
        const visibleMse = sums[1]! / (test.count * (pixels - hiddenPixels));
        console.log(`    ${row([label, hiddenMse.toFixed(5), visibleMse.toFixed(5)], widths)}`);
      }
      mean.dispose();
      for (const [, m] of predictors) m?.dispose();
    },
  };
}
