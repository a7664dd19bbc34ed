/**
 * How the first weights are drawn, as the IR defines it for every target
 * (docs/language.md, "Initialisation"): the uniform limits of each weight
 * layer's kernel and bias under the spec's `train.init` scheme. Every kernel
 * is uniform in +-limit:
 *
 * - `torch`: PyTorch's defaults for nn.Linear and nn.Conv2d / ConvTranspose2d
 *   (kaiming_uniform with a = sqrt(5)): kernel and bias both U(+-1/sqrt(fan_in)),
 *   with fan_in as PyTorch computes it from its weight's layout (for a
 *   transposed convolution that is out channels x k^2).
 * - `he`: He's limit sqrt(6 / ((1 + a^2) fan_in)) when the next activation is of
 *   the ReLU family (relu a = 0, leaky_relu a = alpha, elu and gelu treated as
 *   relu), else Glorot's; zero biases. aespec's only scheme before `init`.
 * - `glorot`: Glorot's limit sqrt(6 / (fan_in + fan_out)) everywhere; zero biases.
 *
 * Fans for `he` and `glorot`: dense in and out features; conv k^2 cin and
 * k^2 filters; deconv ceil(k / s)^2 cin and ceil(k / s)^2 filters (the inputs
 * one output actually sums over). Bottleneck heads are linear (Glorot under
 * `he`). Normalisation scales are one and offsets zero under every scheme;
 * the VQ codebook is uniform in +-sqrt(3 / dim) under every scheme.
 */
import type { Conv, Deconv, Layer } from "./layers.js";
import type { InitScheme } from "./train.js";

/** How one weight layer is initialised: the scheme, and the slope of the ReLU-family activation after it (null: none). */
export interface LayerInit {
  readonly scheme: InitScheme;
  readonly rectifierSlope: number | null;
}

export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
  /** PyTorch's fan-in where it differs from fanIn (a transposed convolution's out channels x k^2). */
  readonly torchFanIn?: number;
}

/** The uniform limits of a layer's kernel and bias (0: the bias is zeros). */
export interface InitLimits {
  readonly kernel: number;
  readonly bias: number;
}

const glorot = (f: Fans) => Math.sqrt(6 / (f.fanIn + f.fanOut));

export function initLimits(init: LayerInit, fans: Fans): InitLimits {
  switch (init.scheme) {
    case "torch": {
      const b = 1 / Math.sqrt(fans.torchFanIn ?? fans.fanIn);
      return { kernel: b, bias: b };
    }
    case "he": {
      const a = init.rectifierSlope;
      return { kernel: a === null ? glorot(fans) : Math.sqrt(6 / ((1 + a * a) * fans.fanIn)), bias: 0 };
    }
    case "glorot":
      return { kernel: glorot(fans), bias: 0 };
  }
}

/** A linear map's initialisation: a bottleneck head, a ladder's maps, a VQ projection. */
export const linearInit = (scheme: InitScheme): LayerInit => ({ scheme, rectifierSlope: null });

/** Layers that leave the following activation in charge of what a weight layer feeds. */
const PASS_THROUGH: ReadonlySet<Layer["kind"]> = new Set(["batchnorm", "layernorm", "dropout"]);

/** The initialisation of the weight layer at `index`: the rectifier is the first activation after it (through norms and dropout). */
export function layerInitFor(scheme: InitScheme, layers: readonly Layer[], index: number): LayerInit {
  for (let i = index + 1; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.kind === "activation") {
      if (l.fn === "relu" || l.fn === "elu" || l.fn === "gelu") return { scheme, rectifierSlope: 0 };
      if (l.fn === "leaky_relu") return { scheme, rectifierSlope: l.alpha };
      return linearInit(scheme);
    }
    if (!PASS_THROUGH.has(l.kind)) return linearInit(scheme);
  }
  return linearInit(scheme);
}

const last = (s: readonly number[]) => s[s.length - 1]!;

/** A dense map's fans. */
export const denseFans = (inFeatures: number, units: number): Fans => ({ fanIn: inFeatures, fanOut: units });

/** A convolution's fans: k^2 cin and k^2 filters. */
export function convFans(layer: Conv): Fans {
  const area = layer.kernel * layer.kernel;
  return { fanIn: area * last(layer.inShape), fanOut: area * layer.filters };
}

/**
 * A transposed convolution's fans: each output sums over ceil(k / s)^2 input positions;
 * PyTorch's ConvTranspose2d weight is [in, out, k, k], and it takes size(1) k^2 as the fan-in.
 */
export function deconvFans(layer: Deconv): Fans {
  const taps = Math.ceil(layer.kernel / layer.stride) ** 2;
  return { fanIn: taps * last(layer.inShape), fanOut: taps * layer.filters, torchFanIn: layer.kernel * layer.kernel * layer.filters };
}

/** The half-width of the VQ codebook's initial uniform draw: each code's expected squared norm is 1. */
export const codebookLimit = (dim: number): number => Math.sqrt(3 / dim);
