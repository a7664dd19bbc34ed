/**
 * Decoded interpolations between the codes of pairs of evaluated examples
 * (examples 0 and 1, 2 and 3, ...): the latent of each, interpolated in a
 * straight line, decoded, and the decoded path's length compared with the
 * straight pixel path between its end frames (src/metrics/interpolation-path.ts).
 */
import { elementsPerExample, subset, type Dataset } from "../data/dataset.js";
import { comparePathToStraight, linearInterpolation } from "../metrics/interpolation-path.js";
import { rowMatrix } from "../metrics/row-matrix.js";
import type { ModelPort } from "./model-port.js";

export const INTERPOLATION_PAIRS = 8;
export const INTERPOLATION_STEPS = 11;

export async function interpolationLengths(port: ModelPort, ds: Dataset) {
  const pairs = Math.min(INTERPOLATION_PAIRS, Math.floor(ds.count / 2));
  if (pairs === 0) return null;
  const width = elementsPerExample(port.ir.bottleneck.latentShape);
  const features = elementsPerExample(ds.shape);
  const ends = subset(
    ds,
    Array.from({ length: 2 * pairs }, (_, i) => i),
  );
  // What the decoder reads at evaluation: the mean of a Gaussian, the quantized vectors of a VQ.
  const z = (await port.forward(ends.x, 2 * pairs)).latent;
  let decodedLength = 0;
  let straightLength = 0;
  let ratioSum = 0;
  let ratios = 0;
  for (let p = 0; p < pairs; p++) {
    const path = linearInterpolation(z.subarray(2 * p * width, (2 * p + 1) * width), z.subarray((2 * p + 1) * width, (2 * p + 2) * width), INTERPOLATION_STEPS);
    const decoded = await port.decodeLatent(Float32Array.from(path.data), INTERPOLATION_STEPS);
    const c = comparePathToStraight(rowMatrix(decoded, INTERPOLATION_STEPS, features));
    decodedLength += c.decodedLength / pairs;
    straightLength += c.straightLength / pairs;
    if (c.ratio !== null) {
      ratioSum += c.ratio;
      ratios++;
    }
  }
  return { pairs, steps: INTERPOLATION_STEPS, decodedLength, straightLength, ratio: ratios > 0 ? ratioSum / ratios : null };
}
