/**
 * Denoising figure: the MNIST test set corrupted (gaussian sigma 0.3 as in
 * specs/deep.aespec, and salt-and-pepper), each model given the corrupted
 * image in evaluation mode, its reconstruction scored against the clean
 * image. The denoising model against the plain deep_ae of the same shape,
 * both trained the same epochs from the same seed. The corrupted input
 * itself, read as a reconstruction, is the do-nothing reference.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../src/data/rng.js";
import type { Corruption } from "../../src/ir/losses.js";
import type { TfModel } from "../../targets/tfjs/index.js";
import { CORRUPTIONS, type Corrupted, type InputRange } from "../../targets/tfjs/model/corruptions.js";
import { BERNOULLI_CLIP } from "../../targets/tfjs/train/losses/reconstruction.js";
import type { Figure } from "./run.js";
import { overBatches, row, specModel, testSet, trainModel } from "./common.js";

const EPOCHS = 3;
const BATCH = 500;

const SALTPEPPER_RATE = 0.2;

function corrupt(x: tf.Tensor, c: Corruption | null, range: InputRange, rng: Rng): tf.Tensor {
  if (c === null) return x;
  const apply = CORRUPTIONS[c.kind] as (x: tf.Tensor, c: Corruption, range: InputRange, rng: Rng) => Corrupted;
  return apply(x, c, range, rng).encoderInput;
}

/** Per example: [squared error summed over pixels, binary cross-entropy summed over pixels], both against the clean x. */
function scores(x: tf.Tensor, r: tf.Tensor): tf.Tensor1D {
  const n = x.shape[0]!;
  const flat = (t: tf.Tensor) => tf.reshape(t, [n, -1]);
  const p = tf.clipByValue(r, BERNOULLI_CLIP, 1 - BERNOULLI_CLIP);
  const bce = tf.neg(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))));
  return tf.stack([tf.sum(tf.squaredDifference(flat(x), flat(r))), tf.sum(flat(bce))]) as tf.Tensor1D;
}

export async function figure(): Promise<Figure> {
  return {
    title: `clean-image reconstruction error from corrupted MNIST test images, denoising vs plain deep_ae (${EPOCHS} epochs each)`,
    run: async () => {
      const overrides = [`train.epochs=${EPOCHS}`];
      const plainIr = specModel("deep.aespec", "deep_ae", overrides);
      const denoisingIr = specModel("deep.aespec", "denoising", overrides);
      const models: [string, TfModel | null][] = [
        ["deep_ae", await trainModel(plainIr)],
        ["denoising", await trainModel(denoisingIr)],
        ["(its input, clipped)", null],
      ];
      const trained = denoisingIr.corruption;
      if (trained === null || trained.kind !== "gaussian_noise") throw new Error("specs/deep.aespec: denoising is no longer gaussian");
      // The clean test set, the spec's own corruption, and one it was not trained on.
      const testCorruptions: readonly { readonly name: string; readonly c: Corruption | null }[] = [
        { name: "none", c: null },
        { name: `gaussian(sigma: ${trained.sigma})`, c: trained },
        { name: `saltpepper(${SALTPEPPER_RATE})`, c: { kind: "saltpepper", rate: SALTPEPPER_RATE, span: trained.span } },
      ];
      const test = await testSet(plainIr);
      const pixels = test.shape.reduce((a, b) => a * b, 1);
      const widths = [22, 22, 12, 14];
      console.log(`    ${test.count} test images; MSE per pixel, BCE in nats per image (clean image vs reconstruction)`);
      console.log(`    ${row(["test corruption", "model", "MSE/pixel", "BCE nats/image"], widths)}`);
      for (const { name, c } of testCorruptions) {
        for (const [label, model] of models) {
          // The same noise for every model: the stream restarts at each row.
          const rng = new Rng(1234, `figure/denoising/${name}`);
          const sums = await overBatches(test, BATCH, (x) => {
            const noisy = corrupt(x, c, plainIr.input.range, rng);
            const r = model === null ? tf.clipByValue(noisy, 0, 1) : model.forward(noisy, { training: false, rng }).reconstruction;
            return scores(x, r);
          });
          const mse = sums[0]! / test.count / pixels;
          const bce = sums[1]! / test.count;
          console.log(`    ${row([name, label, mse.toFixed(5), bce.toFixed(2)], widths)}`);
        }
      }
      for (const [, m] of models) m?.dispose();
    },
  };
}
