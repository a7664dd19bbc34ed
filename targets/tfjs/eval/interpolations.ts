/**
 * Decoded interpolations between the codes of pairs of evaluated examples
 * (examples 0 and 1, 2 and 3, ...): the latent of each, interpolated in a
 * straight line, decoded, and the decoded path's length compared with the
 * straight pixel path between its end frames (src/metrics/interpolation-path.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, subset, type Dataset } from "../../../src/data/dataset.js";
import { Rng } from "../../../src/data/rng.js";
import { comparePathToStraight, linearInterpolation } from "../../../src/metrics/interpolation-path.js";
import { rowMatrix } from "../../../src/metrics/row-matrix.js";
import type { TfModel } from "../model-api.js";
import type { LatentDecoder } from "./latent-decoder.js";

export const INTERPOLATION_PAIRS = 8;
export const INTERPOLATION_STEPS = 11;

export async function interpolationLengths(model: TfModel, decoder: LatentDecoder, ds: Dataset) {
  const pairs = Math.min(INTERPOLATION_PAIRS, Math.floor(ds.count / 2));
  if (pairs === 0) return null;
  const latentShape = model.ir.bottleneck.latentShape;
  const width = elementsPerExample(latentShape);
  const features = elementsPerExample(ds.shape);
  const ends = subset(
    ds,
    Array.from({ length: 2 * pairs }, (_, i) => i),
  );
  const latent = tf.tidy(() => {
    const f = model.forward(tf.tensor(ends.x, [2 * pairs, ...ds.shape]), { training: false, rng: new Rng(0, "eval/interpolation") });
    // What the decoder reads at evaluation: the mean of a Gaussian, the quantized vectors of a VQ.
    return tf.reshape(f.latent, [2 * pairs, width]);
  });
  const z = await latent.data();
  latent.dispose();
  let decodedLength = 0;
  let straightLength = 0;
  let ratioSum = 0;
  let ratios = 0;
  for (let p = 0; p < pairs; p++) {
    const path = linearInterpolation(z.subarray(2 * p * width, (2 * p + 1) * width), z.subarray((2 * p + 1) * width, (2 * p + 2) * width), INTERPOLATION_STEPS);
    const decoded = tf.tidy(() =>
      tf.reshape(decoder.decode(tf.tensor(Float32Array.from(path.data), [INTERPOLATION_STEPS, ...latentShape])), [INTERPOLATION_STEPS, features]),
    );
    const frames = rowMatrix(await decoded.data(), INTERPOLATION_STEPS, features);
    decoded.dispose();
    const c = comparePathToStraight(frames);
    decodedLength += c.decodedLength / pairs;
    straightLength += c.straightLength / pairs;
    if (c.ratio !== null) {
      ratioSum += c.ratio;
      ratios++;
    }
  }
  return { pairs, steps: INTERPOLATION_STEPS, decodedLength, straightLength, ratio: ratios > 0 ? ratioSum / ratios : null };
}
