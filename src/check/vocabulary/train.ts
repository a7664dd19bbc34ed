import { T, optional, sig, withDefault, type Param, type Signature } from "./types.js";

/** Data sets. A string path is accepted where the `data` setting is (see train/data.ts). */
export const DATA_SIGNATURES = {
  mnist: sig(),
  fashion_mnist: sig(),
  sprites: sig(withDefault("size", T.int(8, 1024), 64), withDefault("count", T.positiveInt, 60000)),
  sphere: sig(withDefault("dim", T.int(2), 3), withDefault("noise", T.nonNegative, 0.05), withDefault("count", T.positiveInt, 10000)),
  lowrank: sig(withDefault("dim", T.positiveInt, 64), withDefault("rank", T.positiveInt, 8), withDefault("count", T.positiveInt, 10000)),
} as const satisfies Record<string, Signature>;

export type DataName = keyof typeof DATA_SIGNATURES;

export const OPTIMIZER_SIGNATURES = {
  adam: sig(
    withDefault("lr", T.positive, 1e-3),
    withDefault("beta1", T.rate, 0.9),
    withDefault("beta2", T.rate, 0.999),
    withDefault("epsilon", T.positive, 1e-7),
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

/** The `train { }` settings: keyword-only, each at most once. */
export const TRAIN_SETTINGS = [
  optional("data", T.call("data", true)),
  withDefault("optimizer", T.call("optimizer"), "adam"),
  withDefault("batch", T.positiveInt, 128),
  withDefault("epochs", T.positiveInt, 10),
  withDefault("seed", T.nonNegativeInt, 0),
  withDefault("validation", T.rate, 0),
  optional("early_stop", T.positiveInt),
] as const satisfies readonly Param[];

export type SettingName = (typeof TRAIN_SETTINGS)[number]["name"];
