import { T, optional, required, sig, withDefault, type Signature } from "./types.js";

export const BOTTLENECK_SIGNATURES = {
  deterministic: sig(required("units", T.positiveInt)),
  gaussian: sig(required("units", T.positiveInt)),
  vq: sig(
    required("codes", T.positiveInt),
    required("dim", T.positiveInt),
    // Absent: the codebook is learnt by gradient (IR ema null).
    optional("ema", T.openUnit),
    withDefault("restart", T.bool, false),
  ),
  ladder: {
    params: [withDefault("skip", T.bool, false)],
    block: {
      kind: "required",
      vocab: "ladderLevel",
      min: 1,
      what: "a block of levels, bottom first",
      example: "ladder { gaussian(64) gaussian(32) gaussian(16) }",
    },
  },
} as const satisfies Record<string, Signature>;

export type BottleneckName = keyof typeof BOTTLENECK_SIGNATURES;

/** The levels of a ladder's block. */
export const LADDER_LEVEL_SIGNATURES = {
  gaussian: sig(required("units", T.positiveInt)),
} as const satisfies Record<string, Signature>;

export const CORRUPTION_SIGNATURES = {
  gaussian: sig(required("sigma", T.positive)),
  dropout: sig(required("p", T.rate)),
  saltpepper: sig(required("p", T.rate)),
  mask: sig(required("patch", T.positiveInt), required("ratio", T.openUnit)),
} as const satisfies Record<string, Signature>;

export type CorruptionName = keyof typeof CORRUPTION_SIGNATURES;

export const PRIOR_SIGNATURES = {
  normal: sig(),
} as const satisfies Record<string, Signature>;

export type PriorName = keyof typeof PRIOR_SIGNATURES;
