import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { ActivationFn, Layer, Padding, Shape } from "../../ir/layers.js";
import { fmtShape, product } from "../../diagnostics/format.js";
import type { TypedCall } from "../typecheck.js";
import type { LayerName } from "../vocabulary/layers.js";

export type LayerResult = { readonly layer: Layer } | { readonly error: Diagnostic };
type Builder = (c: TypedCall, inShape: Shape) => LayerResult;

/** The fields every op shares, from its output shape and cost. */
function op(c: TypedCall, inShape: Shape, outShape: Shape, parameters = 0, state = 0) {
  return { inShape, outShape, parameters, state, activationBytes: 4 * product(outShape), span: c.span };
}

const last = (s: Shape) => s[s.length - 1]!;
const withLast = (s: Shape, n: number): Shape => [...s.slice(0, -1), n];

function needsMap(c: TypedCall, inShape: Shape): LayerResult | null {
  if (inShape.length === 3) return null;
  return {
    error: diag("AE2302", `${c.name} needs an [h, w, c] input, got ${fmtShape(inShape)}`, c.span, {
      hint: "convolutions work on feature maps; reshape a vector first, e.g. reshape([h, w, c])",
    }),
  };
}

/** Output size of a convolution along one axis (may be < 1: no output). */
export function convSize(n: number, kernel: number, stride: number, padding: Padding): number {
  return padding === "same" ? Math.ceil(n / stride) : Math.floor((n - kernel) / stride) + 1;
}

/** Output size of a transposed convolution along one axis. */
export function deconvSize(n: number, kernel: number, stride: number, padding: Padding): number {
  return padding === "same" ? n * stride : n * stride + Math.max(kernel - stride, 0);
}

function convLike(kind: "conv" | "deconv"): Builder {
  return (c, inShape) => {
    const bad = needsMap(c, inShape);
    if (bad !== null) return bad;
    const filters = c.args.num("filters");
    const kernel = c.args.num("kernel");
    const stride = c.args.num("stride");
    const padding = c.args.enum("padding") as Padding;
    const size = kind === "conv" ? convSize : deconvSize;
    const h = size(inShape[0]!, kernel, stride, padding);
    const w = size(inShape[1]!, kernel, stride, padding);
    if (h < 1 || w < 1) {
      return {
        error: diag("AE2303", `${kind} with kernel ${kernel}, stride ${stride} and ${padding} padding leaves no output from ${fmtShape(inShape)}`, c.span, {
          hint: "use a smaller kernel or padding: same",
        }),
      };
    }
    const cin = last(inShape);
    const parameters = kernel * kernel * cin * filters + filters;
    return { layer: { kind, filters, kernel, stride, padding, ...op(c, inShape, [h, w, filters], parameters) } };
  };
}

function activation(fn: ActivationFn): Builder {
  return (c, inShape) => ({
    layer: { kind: "activation", fn, alpha: fn === "leaky_relu" ? c.args.num("alpha") : 0, ...op(c, inShape, inShape) },
  });
}

/** One shape rule per layer name. */
export const LAYER_BUILDERS: { readonly [K in LayerName]: Builder } = {
  dense: (c, inShape) => {
    const units = c.args.num("units");
    const parameters = last(inShape) * units + units;
    return { layer: { kind: "dense", units, ...op(c, inShape, withLast(inShape, units), parameters) } };
  },
  conv: convLike("conv"),
  deconv: convLike("deconv"),
  flatten: (c, inShape) => ({ layer: { kind: "flatten", ...op(c, inShape, [product(inShape)]) } }),
  reshape: (c, inShape) => {
    const target = c.args.shape("shape");
    const want = product(target);
    const have = product(inShape);
    if (want !== have) {
      return {
        error: diag("AE2304", `reshape to ${fmtShape(target)} needs ${want} elements, its input ${fmtShape(inShape)} has ${have}`, c.span),
      };
    }
    return { layer: { kind: "reshape", target, ...op(c, inShape, target) } };
  },
  dropout: (c, inShape) => ({ layer: { kind: "dropout", rate: c.args.num("p"), ...op(c, inShape, inShape) } }),
  batchnorm: (c, inShape) => ({
    layer: {
      kind: "batchnorm",
      epsilon: c.args.num("epsilon"),
      momentum: c.args.num("momentum"),
      ...op(c, inShape, inShape, 2 * last(inShape), 2 * last(inShape)),
    },
  }),
  layernorm: (c, inShape) => ({
    layer: { kind: "layernorm", epsilon: c.args.num("epsilon"), ...op(c, inShape, inShape, 2 * last(inShape)) },
  }),
  relu: activation("relu"),
  leaky_relu: activation("leaky_relu"),
  elu: activation("elu"),
  gelu: activation("gelu"),
  tanh: activation("tanh"),
  sigmoid: activation("sigmoid"),
  softplus: activation("softplus"),
};
