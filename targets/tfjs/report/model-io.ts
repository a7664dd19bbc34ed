/**
 * The trained model as the report uses it, on plain arrays: codes at the
 * prior's level (what TfjsModel.decode takes: a ladder's top level, else the
 * decoder's latent), reconstructions, and decoded latents. All in evaluation
 * mode, in batches.
 */
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample } from "../../../src/data/dataset.js";
import { Rng } from "../../../src/data/rng.js";
import type { TfjsModel } from "../model/build.js";

const BATCH = 128;

export interface ModelIo {
  readonly model: TfjsModel;
  /** Values per example at the prior's level. */
  readonly codeWidth: number;
  /** Codes [n, codeWidth] at the prior's level: a Gaussian's mean, a ladder's top-level mean, else the decoder's latent. */
  codes(x: Float32Array, n: number): Promise<Float32Array>;
  /** The model's output for each input, [n, features]. */
  reconstruct(x: Float32Array, n: number): Promise<Float32Array>;
  /** Decodes codes [n, codeWidth] given at the prior's level. */
  decode(z: Float32Array, n: number): Promise<Float32Array>;
}

export function modelIo(model: TfjsModel, seed: number): ModelIo {
  const inputShape = model.ir.input.shape;
  const features = elementsPerExample(inputShape);
  const codeWidth = elementsPerExample(model.priorShape);
  // Evaluation draws nothing; a stream of its own in case a layer did.
  const opts = { training: false, rng: new Rng(seed, "report/forward") };

  async function batched(
    n: number,
    inWidth: number,
    outWidth: number,
    src: Float32Array,
    run: (x: tf.Tensor, b: number) => tf.Tensor,
    shape: readonly number[],
  ): Promise<Float32Array> {
    const out = new Float32Array(n * outWidth);
    for (let start = 0; start < n; start += BATCH) {
      const b = Math.min(BATCH, n - start);
      const y = tf.tidy(() => tf.reshape(run(tf.tensor(src.subarray(start * inWidth, (start + b) * inWidth), [b, ...shape]), b), [b * outWidth]));
      out.set((await y.data()) as Float32Array, start * outWidth);
      y.dispose();
    }
    return out;
  }

  return {
    model,
    codeWidth,
    codes: (x, n) =>
      batched(
        n,
        features,
        codeWidth,
        x,
        (t) => {
          const f = model.forward(t, opts);
          const levels = f.ladder?.levels;
          return levels !== undefined && levels.length > 0 ? levels[levels.length - 1]!.mean : (f.gaussian?.mean ?? f.latent);
        },
        inputShape,
      ),
    reconstruct: (x, n) => batched(n, features, features, x, (t) => model.forward(t, opts).reconstruction, inputShape),
    decode: (z, n) => batched(n, codeWidth, features, z, (t) => model.decode(t, opts), model.priorShape),
  };
}

/** Rows of a [n, width] array as views. */
export function rowsOf(a: Float32Array, n: number, width: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => a.subarray(i * width, (i + 1) * width));
}
