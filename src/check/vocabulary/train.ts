import { ADAM_DEFAULTS } from "../../ir/train.js";
import { T, optional, sig, withDefault, type Param, type Signature } from "./types.js";

/** Data sets. A string path is accepted where the `data` setting is (see train/data.ts). */
export const DATA_SIGNATURES = {
  mnist: sig(optional("count", T.positiveInt)),
  fashion_mnist: sig(optional("count", T.positiveInt)),
  sprites: sig(withDefault("size", T.int(8, 1024), 64), withDefault("count", T.positiveInt, 60000)),
  sphere: sig(withDefault("dim", T.int(2), 3), withDefault("noise", T.nonNegative, 0.05), withDefault("count", T.positiveInt, 10000)),
  lowrank: sig(withDefault("dim", T.positiveInt, 64), withDefault("rank", T.positiveInt, 8), withDefault("count", T.positiveInt, 10000)),
} as const satisfies Record<string, Signature>;

export type DataName = keyof typeof DATA_SIGNATURES;

export const OPTIMIZER_SIGNATURES = {
  adam: sig(
    withDefault("lr", T.positive, ADAM_DEFAULTS.lr),
    withDefault("beta1", T.rate, ADAM_DEFAULTS.beta1),
    withDefault("beta2", T.rate, ADAM_DEFAULTS.beta2),
    withDefault("epsilon", T.positive, ADAM_DEFAULTS.epsilon),
  ),
  sgd: sig(withDefault("lr", T.positive, 0.01), withDefault("momentum", T.rate, 0)),
  rmsprop: sig(
    withDefault("lr", T.positive, 1e-3),
    withDefault("decay", T.rate, 0.9),
    withDefault("momentum", T.rate, 0),
    withDefault("epsilon", T.positive, 1e-7),
  ),
} as const satisfies Record<string, Signature>;

export type OptimizerName = keyof typeof OPTIMIZER_SIGNATURES;

/** Learning-rate schedules (`schedule: cosine(min: 1e-5)`); every one takes a linear warm-up in epochs. */
export const SCHEDULE_SIGNATURES = {
  constant: sig(withDefault("warmup", T.nonNegative, 0)),
  warmup: sig(withDefault("epochs", T.positive, 1)),
  step: sig(withDefault("every", T.positiveInt, 10), withDefault("factor", T.openUnit, 0.1), withDefault("warmup", T.nonNegative, 0)),
  cosine: sig(withDefault("min", T.nonNegative, 0), withDefault("warmup", T.nonNegative, 0)),
} as const satisfies Record<string, Signature>;

export type ScheduleName = keyof typeof SCHEDULE_SIGNATURES;

/** Weight initialisation schemes (src/ir/train.ts InitScheme). */
export const INIT_SCHEMES = ["torch", "he", "glorot"] as const;

/** The `train { }` settings: keyword-only, each at most once. */
export const TRAIN_SETTINGS = [
  optional("data", T.call("data", true)),
  /** A file of test examples beside a data file (a built-in set has its own). */
  optional("test", T.call("data", true)),
  withDefault("optimizer", T.call("optimizer"), "adam"),
  withDefault("schedule", T.call("schedule"), "constant"),
  withDefault("init", T.oneOf(...INIT_SCHEMES), "torch"),
  withDefault("batch", T.positiveInt, 128),
  withDefault("epochs", T.positiveInt, 10),
  withDefault("seed", T.nonNegativeInt, 0),
  withDefault("validation", T.rate, 0),
  optional("early_stop", T.positiveInt),
] as const satisfies readonly Param[];

export type SettingName = (typeof TRAIN_SETTINGS)[number]["name"];
