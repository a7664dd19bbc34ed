import { T, required, sig, withDefault, type Signature } from "./types.js";

export const LOSS_SIGNATURES = {
  reconstruction: sig(required("likelihood", T.oneOf("mse", "bernoulli", "gaussian")), withDefault("on", T.oneOf("all", "masked"), "all")),
  kl: sig(withDefault("beta", T.nonNegative, 1), withDefault("warmup", T.nonNegativeInt, 0), withDefault("free_bits", T.nonNegative, 0)),
  contractive: sig(required("weight", T.nonNegative)),
  mmd: sig(required("weight", T.nonNegative), withDefault("kernel", T.oneOf("imq", "rbf"), "imq")),
  adversarial: {
    params: [required("weight", T.nonNegative), withDefault("lr", T.positive, 1e-4)],
    block: {
      kind: "required",
      vocab: "layer",
      min: 1,
      what: "a discriminator block of layers",
      example: "adversarial(weight: 1) { dense(256) relu dense(1) }",
    },
  },
  commitment: sig(withDefault("beta", T.nonNegative, 0.25)),
} as const satisfies Record<string, Signature>;

export type LossName = keyof typeof LOSS_SIGNATURES;
