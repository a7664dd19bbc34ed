import { diag } from "../../diagnostics/diagnostic.js";
import type { Ladder, LadderLevel } from "../../ir/bottleneck.js";
import type { Shape } from "../../ir/layers.js";
import { fmtShape } from "../../diagnostics/format.js";
import type { TypedCall } from "../typecheck.js";
import type { BottleneckResult } from "./result.js";
import { denseOp } from "./dense.js";

/**
 * A ladder VAE's levels as src/ir/bottleneck.ts documents them: bottom-up
 * states d_i and top-down states t_i of 2 * units_i features each.
 * Activations counted per example: every projection's output, each level's
 * sample, and the merged posterior's mean and variance below the top.
 */
export function buildLadder(c: TypedCall, inShape: Shape): BottleneckResult {
  if (inShape.length !== 1) {
    return {
      error: diag("AE2307", `ladder needs a vector input, the encoder gives ${fmtShape(inShape)}`, c.span, {
        hint: "end the encoder with flatten (and a dense layer)",
      }),
    };
  }
  const skip = c.args.bool("skip");
  const calls = c.block ?? [];
  const units = calls.map((l) => l.args.num("units"));
  const top = units.length - 1;
  const levels: LadderLevel[] = calls.map((l, i) => {
    const u = units[i]!;
    const below = i === 0 ? inShape[0]! : 2 * units[i - 1]!;
    const state = 2 * u;
    const above = i < top ? units[i + 1]! + (skip && i + 1 < top ? 2 * units[i + 1]! : 0) : 0;
    return {
      units: u,
      up: denseOp(below, state, l.span),
      qMean: denseOp(state, u, l.span),
      qLogVar: denseOp(state, u, l.span),
      down: i < top ? denseOp(above, state, l.span) : null,
      pMean: i < top ? denseOp(state, u, l.span) : null,
      pLogVar: i < top ? denseOp(state, u, l.span) : null,
      span: l.span,
    };
  });
  let parameters = 0;
  let activationBytes = 0;
  levels.forEach((l, i) => {
    for (const d of [l.up, l.qMean, l.qLogVar, l.down, l.pMean, l.pLogVar]) {
      if (d === null) continue;
      parameters += d.parameters;
      activationBytes += d.activationBytes;
    }
    activationBytes += 4 * l.units * (i < top ? 3 : 1);
  });
  const bottleneck: Ladder = {
    kind: "ladder",
    skip,
    levels,
    inShape,
    latentShape: [units[0]!],
    vectorsPerExample: 1,
    parameters,
    activationBytes,
    span: c.span,
  };
  return { bottleneck };
}
