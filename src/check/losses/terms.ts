import { diag, type Fix } from "../../diagnostics/diagnostic.js";
import type { Layer, Shape } from "../../ir/layers.js";
import type { KernelKind, Likelihood, LossTerm } from "../../ir/losses.js";
import { fmtNum, fmtShape } from "../../diagnostics/format.js";
import { runLayers } from "../shapes/stack.js";
import type { TypedCall } from "../typecheck.js";
import type { LossName } from "../vocabulary/losses.js";
import type { LossContext } from "./context.js";

type Rule = (c: TypedCall, ctx: LossContext) => LossTerm | null;

const isVq = (ctx: LossContext) => ctx.bottleneck?.kind === "vq";

/** contractive, mmd and adversarial shape a continuous latent; a vq latent is a set of codes. */
function notWithVq(c: TypedCall, ctx: LossContext): boolean {
  if (!isVq(ctx)) return true;
  ctx.out.push(
    diag("AE2404", `${c.name} is not available with a vq bottleneck`, c.span, {
      hint: "a vq latent is discrete; use commitment to keep encoder outputs near their codes",
    }),
  );
  return false;
}

/** One rule per loss term: builds its IR and enforces what it requires of the model. */
export const LOSS_RULES: { readonly [K in LossName]: Rule } = {
  reconstruction: (c, ctx) => {
    const likelihood = c.args.enum("likelihood") as Likelihood;
    const on = c.args.enum("on") as "all" | "masked";
    let ok = true;
    if (likelihood === "bernoulli" && ctx.range !== undefined) {
      const { range, span, source } = ctx.range;
      if (range === null) {
        ctx.out.push(
          diag("AE2402", "bernoulli needs inputs inside [0, 1], and the input's range is unknown", c.span, {
            hint: "declare it: input: [...] in [0, 1]",
          }),
        );
        ok = false;
      } else if (range[0] < 0 || range[1] > 1) {
        const where = source === "declared" ? "range declared here" : "the data's range";
        ctx.out.push(
          diag("AE2402", `bernoulli needs inputs inside [0, 1], the input is in [${fmtNum(range[0])}, ${fmtNum(range[1])}]`, c.span, {
            ...(span !== null ? { related: [{ span, message: where }] } : {}),
            hint: "use mse or gaussian for other ranges",
          }),
        );
        ok = false;
      }
    }
    if (on === "masked" && ctx.corruption !== undefined && ctx.corruption.kind !== "mask") {
      ctx.out.push(
        diag("AE2403", "reconstruction on masked needs corrupt: mask(...)", c.args.spanOf("on"), {
          hint: "add corrupt: mask(patch: 4, ratio: 0.75), or use on: all",
        }),
      );
      ok = false;
    }
    return ok ? { kind: "reconstruction", likelihood, on, span: c.span } : null;
  },
  kl: (c, ctx) => {
    const kind = ctx.bottleneck?.kind;
    if (kind !== undefined && kind !== "gaussian" && kind !== "ladder") {
      ctx.out.push(
        diag("AE2401", `kl needs a gaussian or ladder bottleneck, this one is ${kind}`, c.span, {
          hint: "use bottleneck: gaussian(k), or drop kl",
        }),
      );
      return null;
    }
    return { kind: "kl", beta: c.args.num("beta"), warmup: c.args.num("warmup"), freeBits: c.args.num("free_bits"), span: c.span };
  },
  contractive: (c, ctx) => (notWithVq(c, ctx) ? { kind: "contractive", weight: c.args.num("weight"), span: c.span } : null),
  mmd: (c, ctx) => (notWithVq(c, ctx) ? { kind: "mmd", weight: c.args.num("weight"), kernel: c.args.enum("kernel") as KernelKind, span: c.span } : null),
  adversarial: (c, ctx) => {
    if (!notWithVq(c, ctx) || ctx.bottleneck === undefined) return null;
    const block = c.block ?? [];
    const stack = runLayers(block, ctx.bottleneck.latentShape, ctx.out);
    if (stack === null) return null;
    if (stack.outShape.length !== 1 || stack.outShape[0] !== 1) {
      const at = block[block.length - 1]?.span ?? c.span;
      ctx.out.push(
        diag("AE2309", `the discriminator must end in one logit [1], it gives ${fmtShape(stack.outShape)}`, at, {
          hint: stack.outShape.length === 1 ? "end it with dense(1)" : "it reads the latent; flatten a latent map first",
          fixes: flattenFirst(block, stack),
        }),
      );
      return null;
    }
    const parameters = stack.layers.reduce((n, l) => n + l.parameters, 0);
    return { kind: "adversarial", weight: c.args.num("weight"), lr: c.args.num("lr"), discriminator: stack.layers, parameters, span: c.span };
  },
  commitment: (c, ctx) => {
    if (ctx.bottleneck !== undefined && !isVq(ctx)) {
      ctx.out.push(
        diag("AE2405", `commitment needs a vq bottleneck, this one is ${ctx.bottleneck.kind}`, c.span, {
          hint: "drop commitment, or use bottleneck: vq(codes: 512, dim: 64)",
        }),
      );
      return null;
    }
    return { kind: "commitment", beta: c.args.num("beta"), span: c.span };
  },
};

/**
 * The exact fix of a discriminator that reads a latent map with vector layers
 * only and ends in one unit a position: `flatten` before its first layer
 * (every later layer then reads a vector, and the last gives [1]).
 */
function flattenFirst(block: readonly TypedCall[], stack: { readonly layers: readonly Layer[]; readonly outShape: Shape }): Fix[] {
  const first = block[0];
  const vectorOnly = stack.layers.every((l) => !["conv", "deconv", "flatten", "reshape"].includes(l.kind));
  if (first === undefined || stack.outShape.length === 1 || stack.outShape[stack.outShape.length - 1] !== 1 || !vectorOnly) return [];
  return [{ title: "insert flatten before the discriminator's first layer", edits: [{ span: { ...first.span, end: first.span.start }, text: "flatten " }] }];
}
