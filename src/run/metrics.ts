import { existsSync, readFileSync } from "node:fs";
/**
 * The schema of RUN/metrics.jsonl, one line an epoch, shared by every target
 * that trains and everything that reads a run (resume, the report), and the
 * checked reader of a line: a line that lacks a field is refused with what
 * it lacks, never read into a TypeError.
 */
/**
 * Mean of each loss term over a pass, and the total (their sum). A term is
 * always at its full weight (kl: beta times the KL), in training and
 * validation alike, so the two columns measure the same quantities.
 */
export interface TermMeans {
  readonly total: number;
  /** Keyed by loss term kind, in the spec's order. */
  readonly terms: Readonly<Record<string, number>>;
  /**
   * Training with a KL warm-up only: the mean of what the optimizer minimised,
   * the KL weighted by the warm-up's factor at each step (see klWeight).
   */
  readonly objective?: number;
}

export interface GaussianStats {
  /** Mean over examples of KL(q || p) of each latent unit, in nats (unweighted, no free bits). */
  readonly klPerUnit: readonly number[];
  /** Their sum. */
  readonly kl: number;
  /** Units whose posterior mean varies across examples: variance > 0.01 (Burda et al. 2015). */
  readonly activeUnits: number;
  readonly units: number;
}

export interface CodebookStats {
  /** exp(entropy of the code usage), between 1 and codes. */
  readonly perplexity: number;
  readonly codesUsed: number;
  readonly codes: number;
}

/** The adversarial term's side of an epoch (train/adversarial-metrics.ts), over its training steps. */
export interface AdversarialStats {
  /** The discriminator's binary cross-entropy (prior samples 1, codes 0), mean over the steps, each before its update. */
  readonly discriminatorLoss: number;
  /** Fraction of prior samples and codes the discriminator told apart (logit > 0 for a prior sample, < 0 for a code), over the steps. */
  readonly discriminatorAccuracy: number;
  /** The encoder's loss for fooling it, -log D(z), unweighted; null when the term's weight is 0. */
  readonly generatorLoss: number | null;
  /** Mean over latent units of the codes' standard deviation over the epoch's training codes (the prior's is 1). */
  readonly codeSpread: number;
}

/**
 * The training losses within an epoch, for curves finer than an epoch: the
 * epoch's steps in windows of ceil(steps / CURVE_POINTS) (the last one
 * shorter), each the example-weighted mean over its steps, as `train` is
 * over the whole epoch (so the windows, weighted by `examples`, average to it).
 */
export interface StepCurve {
  /** Where each window ends, in epochs since the run began: (epoch - 1) + its last step / steps. */
  readonly at: readonly number[];
  /** Training examples in each window. */
  readonly examples: readonly number[];
  readonly total: readonly number[];
  readonly terms: Readonly<Record<string, readonly number[]>>;
}

/** What trained an epoch: aespec's version, the target and its runtime (`wasm+blas (OpenBLAS SkylakeX, 2 threads)`, `PyTorch 2.5.1 (cuda)`). */
export interface TrainedBy {
  readonly aespec: string;
  readonly target: string;
  readonly runtime: string;
}

/** At most this many points of an epoch's step curve. */
export const CURVE_POINTS = 50;

/** One line of metrics.jsonl. */
export interface EpochMetrics {
  /** 1-based; counts epochs before a resume too. */
  readonly epoch: number;
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
  /** What trained the epoch (absent in runs of aespec before it, and in those the library trains without saying). */
  readonly trainedBy?: TrainedBy;
  /** Weight of the KL term at the last step of the epoch (after warm-up: beta); absent without a kl term. */
  readonly klWeight?: number;
  /** The learning rate of the epoch's last step (src/run/lr-schedule.ts); absent in runs of aespec before schedules. */
  readonly lr?: number;
  readonly train: TermMeans;
  /** The training losses within the epoch (absent in runs of aespec before it). */
  readonly curve?: StepCurve;
  /**
   * The objective on the validation set, with every schedule complete (KL at its full weight): the
   * latent sampled and the input corrupted as in training, each from an evaluation stream of the
   * epoch; dropout off, batchnorm on its moving statistics. null when validation is 0.
   */
  readonly validation: TermMeans | null;
  /** Where the latent statistics come from: the validation set, or the training batches of the epoch when there is none. */
  readonly statsOn: "validation" | "train";
  /** A Gaussian bottleneck's latent statistics; for a ladder, all its levels together (see `levels`). */
  readonly gaussian?: GaussianStats;
  /**
   * A ladder's statistics per level, bottom (level 0) first: KL against the level's own prior, and active
   * units with the posterior mean taken relative to that prior's mean (Var_x(E_q[z] - E_p[z]) > 0.01).
   */
  readonly levels?: readonly GaussianStats[];
  readonly codebook?: CodebookStats;
  /** With an adversarial term. */
  readonly adversarial?: AdversarialStats;
  /** The value early stopping watches (validation total, or train total without validation), and the best epoch so far. */
  readonly monitor: { readonly on: "validation" | "train"; readonly value: number; readonly bestEpoch: number };
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === "number";
const isNums = (x: unknown) => Array.isArray(x) && x.every(isNum);

function termMeansError(x: unknown, what: string): string | null {
  if (!isObj(x) || !isNum(x["total"])) return `${what} has no total`;
  if (!isObj(x["terms"]) || !Object.values(x["terms"]).every(isNum)) return `${what} has no terms`;
  if (x["objective"] !== undefined && !isNum(x["objective"])) return `${what}'s objective is not a number`;
  return null;
}

function gaussianError(x: unknown, what: string): string | null {
  return isObj(x) && isNums(x["klPerUnit"]) && isNum(x["kl"]) && isNum(x["activeUnits"]) && isNum(x["units"]) ? null : `${what} lacks KL or unit counts`;
}

/** One line of metrics.jsonl as EpochMetrics, or a sentence saying what it lacks. */
export function parseEpochLine(line: string): EpochMetrics | string {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (!isObj(m)) return "not an object";
  if (!Number.isSafeInteger(m["epoch"]) || (m["epoch"] as number) < 1) return "no epoch number";
  for (const k of ["steps", "examples", "seconds", "examplesPerSecond"]) if (!isNum(m[k])) return `no ${k}`;
  const bad =
    termMeansError(m["train"], "train") ??
    (m["validation"] === null ? null : termMeansError(m["validation"], "validation")) ??
    (m["klWeight"] === undefined || isNum(m["klWeight"]) ? null : "klWeight is not a number") ??
    (m["lr"] === undefined || isNum(m["lr"]) ? null : "lr is not a number") ??
    (m["gaussian"] === undefined ? null : gaussianError(m["gaussian"], "gaussian")) ??
    (m["levels"] === undefined
      ? null
      : Array.isArray(m["levels"])
        ? ((m["levels"] as unknown[]).map((l, i) => gaussianError(l, `level ${i}`)).find((e) => e !== null) ?? null)
        : "levels is not a list") ??
    (m["codebook"] === undefined ||
    (isObj(m["codebook"]) && isNum(m["codebook"]["perplexity"]) && isNum(m["codebook"]["codesUsed"]) && isNum(m["codebook"]["codes"]))
      ? null
      : "codebook lacks its counts") ??
    (m["adversarial"] === undefined ||
    (isObj(m["adversarial"]) &&
      isNum(m["adversarial"]["discriminatorAccuracy"]) &&
      isNum(m["adversarial"]["discriminatorLoss"]) &&
      isNum(m["adversarial"]["codeSpread"]))
      ? null
      : "adversarial lacks its figures") ??
    (m["curve"] === undefined ? null : curveError(m["curve"])) ??
    (m["trainedBy"] === undefined || (isObj(m["trainedBy"]) && ["aespec", "target", "runtime"].every((k) => typeof (m["trainedBy"] as Json)[k] === "string"))
      ? null
      : "trainedBy lacks aespec, target or runtime") ??
    (m["statsOn"] === "train" || m["statsOn"] === "validation" ? null : "statsOn is neither train nor validation") ??
    (isObj(m["monitor"]) && isNum(m["monitor"]["value"]) && Number.isSafeInteger(m["monitor"]["bestEpoch"]) ? null : "no monitor");
  return bad ?? (m as unknown as EpochMetrics);
}

function curveError(c: unknown): string | null {
  if (!isObj(c) || !isNums(c["at"]) || !isNums(c["examples"]) || !isNums(c["total"]) || !isObj(c["terms"])) return "curve lacks at, examples, total or terms";
  const n = (c["at"] as number[]).length;
  const lists = [c["examples"], c["total"], ...Object.values(c["terms"])];
  return lists.every((l) => isNums(l) && (l as number[]).length === n) ? null : "curve's lists differ in length";
}

export interface EpochLog {
  readonly epochs: readonly EpochMetrics[];
  /** Lines that were not an epoch's metrics, each with its line number and what it lacks. */
  readonly skipped: readonly { readonly line: number; readonly why: string }[];
}

/** The epochs of metrics.jsonl (every line checked), or null when the run has no such file. */
export function readEpochLog(file: string): EpochLog | null {
  if (!existsSync(file)) return null;
  const epochs: EpochMetrics[] = [];
  const skipped: { line: number; why: string }[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const m = parseEpochLine(line);
      if (typeof m === "string") skipped.push({ line: i + 1, why: m });
      else epochs.push(m);
    });
  return { epochs, skipped };
}
