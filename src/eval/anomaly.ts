/**
 * Anomaly detection (`aespec eval RUN --anomaly-class C`): every scored
 * example gets a score that should be higher for what the model did not
 * learn, and the AUROC of "label C is the anomaly" is reported
 * (src/metrics/auroc.ts). Meaningful when the model was trained without
 * class C; a spec cannot hold a class out, so the user trains on a data file
 * written without it (README, Evaluation), and since a file has no labels,
 * `--anomaly-data mnist` scores a built-in labelled test set instead of the
 * run's own data.
 *
 * Scores, per example, from one evaluation-mode pass:
 * - reconstruction error: the model's reconstruction term (binary
 *   cross-entropy for `bernoulli`, else the squared error; `gaussian`'s NLL
 *   is the squared error halved plus a constant, the same ranking);
 * - negative ELBO (Gaussian and ladder bottlenecks): that term with the
 *   likelihood's own normalisation plus the KL of the posterior against the
 *   prior in closed form (a ladder: every level against its own prior), the
 *   decoder reading the posterior mean: the trainer's validation loss at beta 1.
 */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { elementsPerExample, type Dataset } from "../data/dataset.js";
import { loadData } from "../data/load.js";
import { fail, ok, type Result } from "../data/result.js";
import type { Likelihood } from "../ir/losses.js";
import type { IrModel } from "../ir/model.js";
import { auroc } from "../metrics/auroc.js";
import { klPerUnit } from "../metrics/gaussian-latent.js";
import { rowMatrix } from "../metrics/row-matrix.js";
import type { AnomalyDataName, AnomalyReport, AnomalyScoreName } from "./eval-report.js";
import { firstExamples, type EvalSplit } from "./eval-data.js";
import type { PassResult } from "./evaluation-pass.js";

export { ANOMALY_DATA, type AnomalyDataName, type AnomalyReport, type AnomalyScoreName } from "./eval-report.js";

export interface AnomalyOptions {
  readonly anomalyClass: number;
  /** Score this set's test split instead of the run's evaluated examples. */
  readonly data?: AnomalyDataName;
}

/** The refusal when `ds` cannot answer "is class C the anomaly": no labels, the class absent, or nothing else. */
export function anomalyRefusal(ds: Dataset, anomalyClass: number, what: string, at: Span): Diagnostic | null {
  const refuse = (why: string, hint: string) => diag("AE3303", `cannot score class ${anomalyClass} as the anomaly: ${why}`, at, { hint });
  if (ds.labels === null) {
    return refuse(
      `${what} have no labels`,
      "score a labelled test set with --anomaly-data mnist (or fashion_mnist), or evaluate a run trained on labelled data",
    );
  }
  const counts = new Map<number, number>();
  for (const l of ds.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const classes = [...counts.keys()].sort((a, b) => a - b).join(", ");
  if (!counts.has(anomalyClass)) return refuse(`it does not occur in ${what} (classes ${classes})`, "give one of the classes that occur");
  if (counts.size === 1) return refuse(`it is the only class in ${what}`, "score examples of other classes too (a larger --limit)");
  return null;
}

/** The test split of a built-in labelled set, for a model whose input it must fit. */
export async function anomalyData(name: AnomalyDataName, ir: IrModel, at: Span): Promise<Result<Dataset>> {
  const loaded = await loadData({ kind: name, span: at }, { seed: ir.train.seed });
  if (!loaded.ok) return loaded;
  const test = loaded.value.test;
  if (test === null) throw new Error(`internal: ${name} has no test split`);
  if (test.shape.join() !== ir.input.shape.join()) {
    return fail(diag("AE3303", `cannot score ${name}: its examples are [${test.shape.join(", ")}], the model takes [${ir.input.shape.join(", ")}]`, at));
  }
  return ok(test);
}

const SPLIT_WORDS: Record<EvalSplit, string> = { test: "test set", validation: "validation fraction", train: "training data" };

/** The examples to score (the evaluated ones, or the named set's test split, cut by --limit), or why they cannot answer. */
export async function scoredExamples(
  o: AnomalyOptions,
  ir: IrModel,
  runDir: string,
  own: { split: EvalSplit; evaluated: Dataset },
  limit: number | null,
): Promise<Result<Dataset>> {
  const atRun = { file: runDir, start: 0, end: 0 };
  let scored = own.evaluated;
  if (o.data !== undefined) {
    const named = await anomalyData(o.data, ir, atRun);
    if (!named.ok) return named;
    scored = firstExamples(named.value, limit);
  }
  const what = o.data === undefined ? `the evaluated examples (${SPLIT_WORDS[own.split]})` : `the ${o.data} test set`;
  // The run's own data: point at the spec's `data` setting.
  const refusal = anomalyRefusal(scored, o.anomalyClass, what, o.data === undefined ? (ir.train.data?.span ?? atRun) : atRun);
  return refusal === null ? ok(scored) : fail(refusal);
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** The per-example scores that apply to the pass, each with its definition. */
export function anomalyScores(
  pass: PassResult,
  likelihood: Likelihood | null,
  features: number,
): { score: AnomalyScoreName; definition: string; values: Float64Array }[] {
  const bce = likelihood === "bernoulli" ? pass.crossEntropy : null;
  const reconstruction = bce ?? pass.squaredError;
  const out = [{ score: "reconstruction" as const, definition: bce !== null ? "binary cross-entropy" : "squared error", values: reconstruction }];
  const kl = klPerExample(pass);
  if (kl === null) return out;
  // The reconstruction term as a negative log-likelihood (mse: the trainer's term, not a normalised density).
  const nll = likelihood === "gaussian" ? pass.squaredError.map((se) => 0.5 * se + features * HALF_LOG_TWO_PI) : reconstruction;
  return [
    ...out,
    { score: "negative_elbo", definition: `${likelihood === "gaussian" ? "gaussian NLL" : out[0]!.definition} + KL`, values: nll.map((v, i) => v + kl[i]!) },
  ];
}

/** KL(q(z|x) || p(z)) of each example, nats: a Gaussian's against N(0, I), a ladder's summed over levels against their priors; null for other bottlenecks. */
export function klPerExample(pass: PassResult): Float64Array | null {
  const levels = pass.gaussian !== null ? [{ ...pass.gaussian, priorMean: null, priorLogVar: null }] : pass.ladder;
  if (levels === null) return null;
  const out = new Float64Array(pass.count);
  for (const l of levels) {
    const u = l.units;
    const row = (a: Float32Array, i: number) => rowMatrix(a.subarray(i * u, (i + 1) * u), 1, u);
    for (let i = 0; i < pass.count; i++) {
      const prior = l.priorMean === null || l.priorLogVar === null ? null : { mean: row(l.priorMean, i), logVar: row(l.priorLogVar, i) };
      out[i]! += klPerUnit(row(l.mean, i), row(l.logVar, i), prior).reduce((a, b) => a + b, 0);
    }
  }
  return out;
}

/** The AUROC of every score, label `anomalyClass` positive; call after anomalyRefusal accepted the labels. */
export function anomalySection(
  pass: PassResult,
  labels: Int32Array,
  opts: AnomalyOptions,
  likelihood: Likelihood | null,
  shape: readonly number[],
): AnomalyReport {
  const positive = Array.from(labels, (l) => l === opts.anomalyClass);
  const anomalies = positive.filter((p) => p).length;
  return {
    anomalyClass: opts.anomalyClass,
    scored: opts.data ?? "evaluated",
    examples: pass.count,
    anomalies,
    normals: pass.count - anomalies,
    scores: anomalyScores(pass, likelihood, elementsPerExample(shape)).map(({ score, definition, values }) => ({
      score,
      definition,
      auroc: auroc(values, positive),
    })),
  };
}
