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
  /**
   * Codes [n, codeWidth] at the prior's level: a Gaussian's mean, a ladder's top-level mean, else the decoder's latent;
   * and from the same passes a VQ's code index per latent vector ([n, positions]; null for other bottlenecks).
   */
  codes(x: Float32Array, n: number): Promise<{ readonly codes: Float32Array; readonly vqIndices: Int32Array | null }>;
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
    async codes(x, n) {
      let vqIndices: Int32Array | null = null;
      let row = 0; // batched runs the batches in order
      const codes = await batched(n, features, codeWidth, x, async (xs, b) => {
        const f = await port.forward(xs, b);
        if (f.vqIndices !== null) {
          const positions = f.vqIndices.length / b;
          vqIndices ??= new Int32Array(n * positions);
          vqIndices.set(f.vqIndices, row * positions);
        }
        row += b;
        return priorCode(f);
      });
      return { codes, vqIndices };
    },
    reconstruct: (x, n) => batched(n, features, features, x, async (xs, b) => (await port.forward(xs, b)).reconstruction),
    decode: (z, n) => batched(n, codeWidth, features, z, (zs, b) => port.decodePrior(zs, b)),
  };
}

/** Rows of a [n, width] array as views. */
export function rowsOf(a: Float32Array, n: number, width: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => a.subarray(i * width, (i + 1) * width));
}
