/**
 * The grid of `aespec sweep`: each `--set PATH=V1,V2,...` a list of values
 * (split at the commas outside brackets and strings, so
 * `bottleneck=vq(codes: 16, dim: 4),vq(codes: 64, dim: 4)` is two values),
 * every combination of them, each for every seed; and the folder each point
 * trains into, named by its values.
 */

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RUN_FILES } from "../run/run-dir.js";
import type { EvalReport } from "../eval/eval-report.js";
import type { TermMeans } from "../run/metrics.js";

/** DIR/sweep.json: what a sweep trained (src/cli/commands/sweep.ts); `aespec compare DIR` reads its runs from it. */
export const SWEEP_SUMMARY = "sweep.json";

/** An epoch of a run in brief: its means, and the value early stopping watched. */
export interface SweepEpoch {
  readonly epoch: number;
  readonly train: TermMeans;
  readonly validation: TermMeans | null;
  readonly monitored: number;
}

/** The object of DIR/sweep.json. */
export interface SweepSummary {
  readonly spec: string;
  readonly model: string;
  readonly axes: readonly SweepAxis[];
  readonly seeds: readonly number[] | null;
  /** With --eval: the options each run was evaluated with (null: eval's defaults); null without --eval. */
  readonly evalOptions: { readonly iwaeK: number | null; readonly limit: number | null } | null;
  readonly runs: readonly {
    readonly name: string;
    readonly dir: string;
    readonly values: Readonly<Record<string, string>>;
    readonly overrides: readonly string[];
    readonly exitCode: number;
    readonly final: SweepEpoch | null;
    readonly best: SweepEpoch | null;
    /** With --eval: `aespec eval --json` of the run's result; null when it failed or the run did not train. */
    readonly eval?: EvalReport | null;
    /** With an eval: the sha256 of the run's metrics.jsonl it was made of (an evaluation of the same training is taken as it is). */
    readonly evalOf?: string;
  }[];
}

export interface SweepAxis {
  readonly path: string;
  readonly values: readonly string[];
}

export interface SweepPoint {
  /** The folder's name under the sweep's folder: `loss.kl.beta=4,seed=7`. */
  readonly name: string;
  /** `--set` overrides as `aespec train` takes them. */
  readonly overrides: readonly string[];
  /** The point's values by path, the seed included. */
  readonly values: Readonly<Record<string, string>>;
}

/** A sweep.json as written (fields may be missing from an older or damaged one); null when there is none or it is not JSON. */
export function readSweepSummary(file: string): Partial<SweepSummary> | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Partial<SweepSummary>;
  } catch {
    return null;
  }
}

/** What identifies a run's training for the evaluation kept of it: the sha256 of its metrics.jsonl (wall times included, so a run trained again differs); null without one. */
export function trainingId(runDir: string): string | null {
  const file = join(runDir, RUN_FILES.metrics);
  return existsSync(file) ? createHash("sha256").update(readFileSync(file)).digest("hex") : null;
}

/** One `--set PATH=V1,V2,...` as an axis, or why it is not one. */
export function parseAxis(text: string): SweepAxis | string {
  const eq = text.indexOf("=");
  if (eq <= 0) return `--set needs PATH=VALUE[,VALUE...], got '${text}'`;
  const path = text.slice(0, eq).trim();
  const values = splitTopLevel(text.slice(eq + 1)).map((v) => v.trim());
  if (values.some((v) => v === "")) return `--set ${path}: an empty value in '${text.slice(eq + 1)}'`;
  return { path, values };
}

/** Splits at the commas outside (), [], {} and "strings". */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Every combination of the axes' values (the first axis slowest), each with every seed when seeds are given. */
export function sweepPoints(axes: readonly SweepAxis[], seeds: readonly number[] | null): SweepPoint[] {
  let combos: [string, string][][] = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => [...c, [a.path, v] as [string, string]]));
  const withSeeds = seeds === null ? combos : combos.flatMap((c) => seeds.map((s) => [...c, ["train.seed", String(s)] as [string, string]]));
  return withSeeds.map((c) => ({
    name: folderName(c),
    overrides: c.map(([p, v]) => `${p}=${v}`),
    values: Object.fromEntries(c.map(([p, v]) => [p === "train.seed" && seeds !== null ? "seed" : p, v])),
  }));
}

/** `path=value` pairs joined by commas, every character a file name should not hold replaced by `_`. */
function folderName(c: readonly [string, string][]): string {
  const name = c.map(([p, v]) => `${p === "train.seed" ? "seed" : p}=${v}`).join(",");
  return name.replace(/[^A-Za-z0-9._=,+-]/g, "_") || "default";
}
