/**
 * Which spec changes a resumed run accepts. The IR's hash covers everything,
 * including how many epochs to train; resuming to train longer must be
 * allowed, so resume compares a hash without `train.epochs` and
 * `train.early_stop` (they decide when to stop, not what a step does),
 * unless the learning-rate schedule is a cosine, whose rates depend on the
 * run's length: resuming it with other epochs would not be the run it was.
 */
import { canonicalJson, modelHash } from "../ir/hash.js";
import type { IrModel } from "../ir/model.js";
import { scheduleDependsOnEpochs } from "./lr-schedule.js";

export function resumeKey(ir: IrModel): string {
  return modelHash(forResume(ir));
}

function forResume(ir: IrModel): IrModel {
  // An ir.json of aespec before schedules has none (src/run/run-ir.ts reads it as constant).
  const schedule = ir.train.schedule as IrModel["train"]["schedule"] | undefined;
  const epochs = schedule !== undefined && scheduleDependsOnEpochs(schedule) ? ir.train.epochs : 0;
  return { ...ir, train: { ...ir.train, epochs, earlyStop: null } };
}

/** Up to `limit` paths where two IRs differ (after the same normalisation), e.g. "train.optimizer.lr: 0.01 -> 0.02". */
export function irDifferences(before: unknown, after: IrModel, limit = 3): string[] {
  const a = JSON.parse(canonicalJson(isIr(before) ? forResume(before) : before)) as unknown;
  const b = JSON.parse(canonicalJson(forResume(after))) as unknown;
  const out: string[] = [];
  walk(a, b, "", out, limit);
  return out;
}

function isIr(x: unknown): x is IrModel {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "Model" && typeof (x as { train?: unknown }).train === "object";
}

function walk(a: unknown, b: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
      out.push(`${path || "model"}: ${a.length} entries -> ${b.length}`);
      return;
    }
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) walk(a[k], b[k], path === "" ? k : `${path}.${k}`, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path || "model"}: ${short(a)} -> ${short(b)}`);
}

function short(x: unknown): string {
  const s = x === undefined ? "(none)" : JSON.stringify(x);
  return s.length > 40 ? s.slice(0, 37) + "..." : s;
}
