/**
 * Which latent units the traversals and the scatter show, most informative
 * first: a Gaussian's (or a ladder's top level's) by their KL to the prior,
 * as `aespec eval` measured it; any other code's by its variance over the
 * evaluated examples.
 */
import type { EvalReport } from "../eval/eval-report.js";

export interface UnitOrder {
  readonly units: readonly number[];
  readonly by: "kl" | "variance";
  /** Per unit (all of them, in unit order): its KL in nats or its variance. */
  readonly scores: readonly number[];
  /** Per unit: mean and standard deviation of the codes over the examples. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export function unitOrder(report: EvalReport, codes: Float32Array, count: number, width: number): UnitOrder {
  const mean = new Array<number>(width).fill(0);
  const variance = new Array<number>(width).fill(0);
  for (let i = 0; i < count; i++) for (let j = 0; j < width; j++) mean[j]! += codes[i * width + j]! / count;
  for (let i = 0; i < count; i++) for (let j = 0; j < width; j++) variance[j]! += (codes[i * width + j]! - mean[j]!) ** 2 / count;
  const levels = report.ladder?.levels;
  const kl = report.gaussian?.klPerUnit ?? (levels !== undefined ? levels[levels.length - 1]!.klPerUnit : null);
  const [by, scores] = kl !== null && kl.length === width ? (["kl", kl] as const) : (["variance", variance] as const);
  const units = Array.from({ length: width }, (_, j) => j).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return { units, by, scores, mean, std: variance.map(Math.sqrt) };
}
