import type { Optimizer } from "../../ir/train.js";
import type { TypedCall } from "../typecheck.js";
import type { OptimizerName } from "../vocabulary/train.js";

export const OPTIMIZER_BUILDERS: { readonly [K in OptimizerName]: (c: TypedCall) => Optimizer } = {
  adam: (c) => ({
    kind: "adam",
    lr: c.args.num("lr"),
    beta1: c.args.num("beta1"),
    beta2: c.args.num("beta2"),
    epsilon: c.args.num("epsilon"),
    span: c.span,
  }),
  sgd: (c) => ({ kind: "sgd", lr: c.args.num("lr"), momentum: c.args.num("momentum"), span: c.span }),
  rmsprop: (c) => ({
    kind: "rmsprop",
    lr: c.args.num("lr"),
    decay: c.args.num("decay"),
    momentum: c.args.num("momentum"),
    epsilon: c.args.num("epsilon"),
    span: c.span,
  }),
};
