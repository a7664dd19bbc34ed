/**
 * The trained model as the report uses it, through the evaluation port
 * (src/eval/model-port.ts): codes at the prior's level (what decodePrior
 * takes: a ladder's top level, else the decoder's latent), reconstructions,
 * and decoded codes. All in evaluation mode, in batches.
 */
import { elementsPerExample } from "../data/dataset.js";
import type { ModelPort, PortForward } from "../eval/model-port.js";

const BATCH = 128;

export interface PortIo {
  /** Values per example at the prior's level. */
  readonly codeWidth: number;
  /** Codes [n, codeWidth] at the prior's level: a Gaussian's mean, a ladder's top-level mean, else the decoder's latent. */
  codes(x: Float32Array, n: number): Promise<Float32Array>;
  /** The model's output for each input, [n, features]. */
  reconstruct(x: Float32Array, n: number): Promise<Float32Array>;
  /** Decodes codes [n, codeWidth] given at the prior's level. */
  decode(z: Float32Array, n: number): Promise<Float32Array>;
}

/** The code at the prior's level of one forward pass. */
function priorCode(f: PortForward): Float32Array {
  const levels = f.ladder;
  return levels !== null && levels.length > 0 ? levels[levels.length - 1]!.mean : (f.gaussian?.mean ?? f.latent);
}

export function portIo(port: ModelPort): PortIo {
  const features = elementsPerExample(port.ir.input.shape);
  const codeWidth = elementsPerExample(port.priorShape);

  async function batched(
    n: number,
    inWidth: number,
    outWidth: number,
    src: Float32Array,
    run: (x: Float32Array, b: number) => Promise<Float32Array>,
  ): Promise<Float32Array> {
    const out = new Float32Array(n * outWidth);
    for (let start = 0; start < n; start += BATCH) {
      const b = Math.min(BATCH, n - start);
      out.set(await run(src.subarray(start * inWidth, (start + b) * inWidth), b), start * outWidth);
    }
    return out;
  }

  return {
    codeWidth,
    codes: (x, n) => batched(n, features, codeWidth, x, async (xs, b) => priorCode(await port.forward(xs, b))),
    reconstruct: (x, n) => batched(n, features, features, x, async (xs, b) => (await port.forward(xs, b)).reconstruction),
    decode: (z, n) => batched(n, codeWidth, features, z, (zs, b) => port.decodePrior(zs, b)),
  };
}

/** Rows of a [n, width] array as views. */
export function rowsOf(a: Float32Array, n: number, width: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => a.subarray(i * width, (i + 1) * width));
}
