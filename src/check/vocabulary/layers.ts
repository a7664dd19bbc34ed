import { T, required, sig, withDefault, type Signature } from "./types.js";

const conv: Signature = sig(
  required("filters", T.positiveInt),
  withDefault("kernel", T.positiveInt, 3),
  withDefault("stride", T.positiveInt, 1),
  withDefault("padding", T.oneOf("same", "valid"), "same"),
);

/** Layers of `encoder`, `decoder` and a discriminator block. */
export const LAYER_SIGNATURES = {
  dense: sig(required("units", T.positiveInt)),
  conv,
  deconv: conv,
  flatten: sig(),
  // Shapes are [features] or [h, w, c], like the input's.
  reshape: sig(required("shape", T.shape(1, 3))),
  dropout: sig(required("p", T.rate)),
  batchnorm: sig(withDefault("momentum", T.rate, 0.99), withDefault("epsilon", T.positive, 1e-3)),
  layernorm: sig(withDefault("epsilon", T.positive, 1e-5)),
  relu: sig(),
  leaky_relu: sig(withDefault("alpha", T.nonNegative, 0.2)),
  elu: sig(),
  gelu: sig(),
  tanh: sig(),
  sigmoid: sig(),
  softplus: sig(),
} as const satisfies Record<string, Signature>;

export type LayerName = keyof typeof LAYER_SIGNATURES;
