/**
 * What `aespec compare` says about its runs, as plain data: the object of
 * `aespec compare --json`, and what the comparison page draws. Each run's
 * metrics are eval's (src/eval/eval-numbers.ts) and its final epoch's loss
 * terms (`train.kl`, `validation.total`, ...); the runs that are one model
 * but for their seed form a point, each metric's mean and spread over them;
 * the axes are the values that change between the runs (a sweep's, or each
 * run's `--set` overrides), the seed last.
 */
import { evalNumbers } from "../eval/eval-numbers.js";
import type { EvalReport } from "../eval/eval-report.js";
import { modelHash } from "../ir/hash.js";
import type { IrModel } from "../ir/model.js";
import type { EpochMetrics, TermMeans } from "../run/metrics.js";

export interface ComparedRun {
  /** How the page names the run (its folder as given). */
  readonly name: string;
  readonly ir: IrModel;
  readonly epochs: readonly EpochMetrics[];
  readonly report: EvalReport;
  /** The values the run was trained with where it differs from its spec (a sweep's point, or its `--set` overrides), by path; `seed` always. */
  readonly values: Readonly<Record<string, string>>;
}

export interface EpochBrief {
  readonly epoch: number;
  readonly train: TermMeans;
  readonly validation: TermMeans | null;
}

export interface Spread {
  readonly mean: number;
  /** Standard deviation (n - 1); 0 with one run. */
  readonly sd: number;
  readonly n: number;
}

export interface Comparison {
  readonly runs: readonly {
    readonly name: string;
    readonly model: string;
    readonly values: Readonly<Record<string, string>>;
    readonly final: EpochBrief | null;
    readonly best: EpochBrief | null;
    /** Eval's metrics and the final epoch's terms, by name. */
    readonly metrics: Readonly<Record<string, number>>;
    readonly eval: EvalReport;
  }[];
  /** The paths whose values differ between the runs, in the order first seen; `seed` last. */
  readonly axes: readonly string[];
  /** The runs grouped by everything but their seed, in the order first seen. */
  readonly points: readonly {
    readonly name: string;
    /** The point's values (the axes but the seed). */
    readonly values: Readonly<Record<string, string>>;
    readonly runs: readonly string[];
    readonly metrics: Readonly<Record<string, Spread>>;
  }[];
}

export function compareRuns(runs: readonly ComparedRun[]): Comparison {
  const rows = runs.map((r) => {
    const last = r.epochs.at(-1);
    const best = last === undefined ? undefined : r.epochs.find((e) => e.epoch === last.monitor.bestEpoch);
    return {
      name: r.name,
      model: r.ir.name,
      values: r.values,
      final: brief(last),
      best: brief(best),
      metrics: { ...evalNumbers(r.report), ...termNumbers(last) },
      eval: r.report,
    };
  });
  const axes = varyingPaths(runs.map((r) => r.values));
  const groups = new Map<string, number[]>();
  runs.forEach((r, i) => {
    const key = modelHash({ ...r.ir, train: { ...r.ir.train, seed: 0 } });
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const points = [...groups.values()].map((members) => {
    const first = runs[members[0]!]!;
    const values = Object.fromEntries(axes.filter((a) => a !== "seed" && a in first.values).map((a) => [a, first.values[a]!]));
    return { name: pointName(values, first.ir.name), values, runs: members.map((i) => runs[i]!.name), metrics: spreads(members.map((i) => rows[i]!.metrics)) };
  });
  return { runs: rows, axes, points };
}

function brief(e: EpochMetrics | undefined): EpochBrief | null {
  return e === undefined ? null : { epoch: e.epoch, train: e.train, validation: e.validation };
}

/** The final epoch's means: `train.total`, `train.kl`, `validation.total`, ... */
function termNumbers(e: EpochMetrics | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (e === undefined) return out;
  for (const [split, m] of [
    ["train", e.train],
    ["validation", e.validation],
  ] as const) {
    if (m === null) continue;
    for (const [term, v] of Object.entries(m.terms)) out[`${split}.${term}`] = v;
    out[`${split}.total`] = m.total;
  }
  return out;
}

/** The paths some run's value of differs from another's (a path a run lacks counts as differing), `seed` last. */
function varyingPaths(values: readonly Readonly<Record<string, string>>[]): string[] {
  const paths = [...new Set(values.flatMap((v) => Object.keys(v)))];
  const varying = paths.filter((p) => new Set(values.map((v) => v[p] ?? "\u0000")).size > 1);
  return [...varying.filter((p) => p !== "seed"), ...varying.filter((p) => p === "seed")];
}

function pointName(values: Readonly<Record<string, string>>, model: string): string {
  const parts = Object.entries(values).map(([p, v]) => `${p}=${v}`);
  return parts.length > 0 ? parts.join(", ") : model;
}

/** Each metric that every member has: mean and standard deviation over the members. */
function spreads(members: readonly Readonly<Record<string, number>>[]): Record<string, Spread> {
  const out: Record<string, Spread> = {};
  for (const name of Object.keys(members[0]!)) {
    const xs = members.map((m) => m[name]).filter((x): x is number => x !== undefined);
    if (xs.length !== members.length) continue;
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    out[name] = { mean, sd, n: xs.length };
  }
  return out;
}
