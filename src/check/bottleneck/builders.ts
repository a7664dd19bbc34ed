import type { Shape } from "../../ir/layers.js";
import { product } from "../../diagnostics/format.js";
import type { TypedCall } from "../typecheck.js";
import type { BottleneckName } from "../vocabulary/bottlenecks.js";
import { buildLadder } from "./ladder.js";
import type { BottleneckResult } from "./result.js";

export type { BottleneckResult };
type Builder = (c: TypedCall, inShape: Shape) => BottleneckResult;

/**
 * deterministic, gaussian and vq act on the last axis as dense does: the
 * latent keeps the other axes, and each position is one latent vector.
 */
function onLastAxis(inShape: Shape, width: number) {
  const latentShape = [...inShape.slice(0, -1), width];
  return { inShape, latentShape, vectorsPerExample: product(inShape.slice(0, -1)), elements: product(latentShape) };
}

const features = (s: Shape) => s[s.length - 1]!;

/** One builder per bottleneck; activations are the float32 tensors each keeps per example. */
export const BOTTLENECK_BUILDERS: { readonly [K in BottleneckName]: Builder } = {
  deterministic: (c, inShape) => {
    const units = c.args.num("units");
    const { elements, ...shapes } = onLastAxis(inShape, units);
    const parameters = features(inShape) * units + units;
    return { bottleneck: { kind: "deterministic", units, ...shapes, parameters, activationBytes: 4 * elements, span: c.span } };
  },
  gaussian: (c, inShape) => {
    const units = c.args.num("units");
    const { elements, ...shapes } = onLastAxis(inShape, units);
    // Two heads (mean, log-variance) and the sample.
    const parameters = 2 * (features(inShape) * units + units);
    return { bottleneck: { kind: "gaussian", units, ...shapes, parameters, activationBytes: 3 * 4 * elements, span: c.span } };
  },
  vq: (c, inShape) => {
    const codes = c.args.num("codes");
    const dim = c.args.num("dim");
    const { elements, ...shapes } = onLastAxis(inShape, dim);
    // The projection to `dim`, and the codebook (trained by gradient or by EMA; counted as parameters either way).
    const parameters = features(inShape) * dim + dim + codes * dim;
    return {
      bottleneck: {
        kind: "vq",
        codes,
        dim,
        ema: c.args.optNum("ema"),
        restart: c.args.bool("restart"),
        ...shapes,
        parameters,
        // The projection and the quantized vectors.
        activationBytes: 2 * 4 * elements,
        span: c.span,
      },
    };
  },
  ladder: buildLadder,
};
