/**
 * Initial weights, drawn from the Rng: kernels uniform with He's limit
 * sqrt(6 / ((1 + a^2) fan_in)) when the next activation is of the ReLU family
 * (relu a = 0, leaky_relu a = alpha, elu and gelu treated as relu), else
 * Glorot's limit sqrt(6 / (fan_in + fan_out)); biases and offsets zero,
 * normalisation scales one. Fans: dense in and out features; conv k^2 cin
 * and k^2 filters; deconv ceil(k / s)^2 cin and ceil(k / s)^2 filters (the
 * inputs one output actually sums over). Bottleneck heads are linear, so
 * Glorot; the VQ codebook is uniform in +-sqrt(3 / dim) (see vq.ts).
 */
import type { Layer } from "../../../src/ir/layers.js";

export type KernelInit = { readonly kind: "glorot" } | { readonly kind: "he"; readonly slope: number };

export const GLOROT: KernelInit = { kind: "glorot" };

export function initLimit(init: KernelInit, fanIn: number, fanOut: number): number {
  return init.kind === "he" ? Math.sqrt(6 / ((1 + init.slope * init.slope) * fanIn)) : Math.sqrt(6 / (fanIn + fanOut));
}

/** Layers that leave the following activation in charge of what a weight layer feeds. */
const PASS_THROUGH: ReadonlySet<Layer["kind"]> = new Set(["batchnorm", "layernorm", "dropout"]);

/** The initialiser of the weight layer at `index`: from the first activation after it (through norms and dropout). */
export function kernelInitFor(layers: readonly Layer[], index: number): KernelInit {
  for (let i = index + 1; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.kind === "activation") {
      if (l.fn === "relu" || l.fn === "elu" || l.fn === "gelu") return { kind: "he", slope: 0 };
      if (l.fn === "leaky_relu") return { kind: "he", slope: l.alpha };
      return GLOROT;
    }
    if (!PASS_THROUGH.has(l.kind)) return GLOROT;
  }
  return GLOROT;
}
