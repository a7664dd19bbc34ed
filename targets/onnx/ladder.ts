/**
 * The ladder VAE in ONNX, as the tfjs target (targets/tfjs/model/ladder.ts)
 * evaluates it, variable names included: the bottom-up path, then the top-down path on
 * means (no sampling) with the precision-weighted merge at every level below
 * the top. `lowerLadderFromTop` is the generative half alone: from a top-level
 * code, each level below takes its prior mean (no merge), as the decoder part.
 */
import type { Ladder, LadderLevel } from "../../src/ir/bottleneck.js";
import { ladderMapPrefix } from "../../src/ir/parameters.js";
import { float, type GraphBuilder, int } from "./graph.js";
import { lowerDense } from "./layers.js";
import type { Weights } from "./weights.js";

export interface LadderLevelValues {
  readonly mean: string;
  readonly logVar: string;
}

const elu = (g: GraphBuilder, x: string, hint: string) => g.node("Elu", [x], hint, { alpha: float(1) });

function level(l: LadderLevel | undefined, i: number): LadderLevel {
  if (l === undefined) throw new Error(`internal: the ladder has no level ${i}`);
  return l;
}

/** d_i = elu(up_i(d_{i-1})); mu^_i, lv^_i = q heads of d_i. */
function bottomUp(b: Ladder, h: string, g: GraphBuilder, weights: Weights): LadderLevelValues[] {
  const out: LadderLevelValues[] = [];
  let d = h;
  b.levels.forEach((l, i) => {
    const p = `bottleneck.level${i}`;
    d = elu(g, lowerDense(g, weights, ladderMapPrefix(i, "up"), d, l.up.inShape[0]!, l.up.units), `${p}.d`);
    out.push({
      mean: lowerDense(g, weights, ladderMapPrefix(i, "q_mean"), d, l.qMean.inShape[0]!, l.units),
      logVar: lowerDense(g, weights, ladderMapPrefix(i, "q_logvar"), d, l.qLogVar.inShape[0]!, l.units),
    });
  });
  return out;
}

interface TopDownStep {
  /** t_i, the top-down state (read by the level below with skip). */
  readonly t: string;
  /** The prior of level i: mu_p_i, lv_p_i. */
  readonly prior: LadderLevelValues;
}

/** t_i = elu(down_i(z_{i+1}, or concat([z_{i+1}, t_{i+1}]) with skip below the top)); the prior heads of t_i. */
function topDownStep(b: Ladder, i: number, zAbove: string, tAbove: string | null, g: GraphBuilder, weights: Weights): TopDownStep {
  const l = level(b.levels[i], i);
  if (l.down === null || l.pMean === null || l.pLogVar === null) throw new Error(`internal: ladder level ${i} has no top-down path`);
  const p = `bottleneck.level${i}`;
  const top = b.levels.length - 1;
  const input = b.skip && i + 1 < top ? g.node("Concat", [zAbove, tAbove ?? missing(i)], `${p}.down_in`, { axis: int(-1) }) : zAbove;
  const t = elu(g, lowerDense(g, weights, ladderMapPrefix(i, "down"), input, l.down.inShape[0]!, l.down.units), `${p}.t`);
  return {
    t,
    prior: {
      mean: lowerDense(g, weights, ladderMapPrefix(i, "p_mean"), t, l.pMean.inShape[0]!, l.units),
      logVar: lowerDense(g, weights, ladderMapPrefix(i, "p_logvar"), t, l.pLogVar.inShape[0]!, l.units),
    },
  };
}

function missing(i: number): never {
  throw new Error(`internal: ladder level ${i + 1} has no top-down state for the skip connection`);
}

/**
 * The precision-weighted merge (Sonderby et al. 2016, eq. 17):
 * var = 1 / (e^-lv^ + e^-lv_p), mu = (mu^ e^-lv^ + mu_p e^-lv_p) var, in the
 * equivalent form the tfjs target computes (mergeGaussians), which never
 * exponentiates a log-variance (e^-lv overflows float32 for lv < -88):
 *   lv = lv^ - softplus(lv^ - lv_p),   mu = mu_p + sigmoid(lv_p - lv^) (mu^ - mu_p)
 */
function merge(q: LadderLevelValues, prior: LadderLevelValues, p: string, g: GraphBuilder): LadderLevelValues {
  const logVar = g.node("Sub", [q.logVar, g.node("Softplus", [g.node("Sub", [q.logVar, prior.logVar], `${p}.lv_q_minus_p`)], `${p}.softplus`)], `${p}.logvar`);
  const weightQ = g.node("Sigmoid", [g.node("Sub", [prior.logVar, q.logVar], `${p}.lv_p_minus_q`)], `${p}.weight_q`);
  const mean = g.node("Add", [prior.mean, g.node("Mul", [weightQ, g.node("Sub", [q.mean, prior.mean], `${p}.mu_q_minus_p`)], `${p}.pull`)], `${p}.mean`);
  return { mean, logVar };
}

/** Every level's posterior (mean, log-variance), bottom first, in evaluation mode: z_i = mu_i. */
export function lowerLadder(b: Ladder, h: string, g: GraphBuilder, weights: Weights): LadderLevelValues[] {
  const q = bottomUp(b, h, g, weights);
  const top = b.levels.length - 1;
  const posterior: LadderLevelValues[] = [...q];
  let tAbove: string | null = null;
  for (let i = top - 1; i >= 0; i--) {
    const step = topDownStep(b, i, posterior[i + 1]!.mean, tAbove, g, weights);
    posterior[i] = merge(q[i]!, step.prior, `bottleneck.level${i}`, g);
    tAbove = step.t;
  }
  return posterior;
}

/** z_0 from a top-level code: every level below takes its prior mean. */
export function lowerLadderFromTop(b: Ladder, zTop: string, g: GraphBuilder, weights: Weights): string {
  let z = zTop;
  let tAbove: string | null = null;
  for (let i = b.levels.length - 2; i >= 0; i--) {
    const step = topDownStep(b, i, z, tAbove, g, weights);
    z = step.prior.mean;
    tAbove = step.t;
  }
  return z;
}
