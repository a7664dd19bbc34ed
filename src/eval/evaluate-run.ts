/**
 * `aespec eval` as a function of a model port (src/eval/model-port.ts): loads
 * the run's evaluation data, runs the model in evaluation mode through the
 * port, whatever engine runs it, and computes every metric that applies
 * (src/metrics/ holds their definitions). Deterministic: the importance
 * samples come from the run's seed, stream "eval".
 */
import { diag } from "../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../data/result.js";
import type { Dataset } from "../data/dataset.js";
import { codebookUsage, usageHistogram } from "../metrics/codebook-usage.js";
import { activeUnits, iwaeBound, klPerUnit } from "../metrics/gaussian-latent.js";
import { linearProbe } from "../metrics/linear-probe.js";
import { mutualInformationGap } from "../metrics/mutual-information-gap.js";
import { mean, rowMatrix } from "../metrics/row-matrix.js";
import { anomalySection, scoredExamples, type AnomalyOptions } from "./anomaly.js";
import { corruptedReconstruction } from "./corrupted-reconstruction.js";
import { evalData, firstExamples } from "./eval-data.js";
import type { EvalReport, IwaeBounds } from "./eval-report.js";
import { evaluationPass, type PassResult } from "./evaluation-pass.js";
import { importanceSampler } from "./importance-samples.js";
import { interpolationLengths } from "./interpolations.js";
import { isLinearModel, subspaceAngles } from "./linear-subspace.js";
import type { ModelPort } from "./model-port.js";

/** Burda et al. (2016) trained and compared IWAEs with K = 50; their final NLL used 5000. */
export const DEFAULT_IWAE_SAMPLES = 50;
/** Training examples the linear probe is fitted on (the first ones of the training part). */
export const PROBE_TRAIN_EXAMPLES = 5000;
const MAX_EVAL_BATCH = 256;

export interface EvalOptions {
  /** K of the IWAE bound, >= 1. */
  readonly iwaeSamples?: number;
  /** Evaluate only the first N examples (and fit the probe on at most N). */
  readonly limit?: number | null;
  /** Score every example and report the AUROC of this class as the anomaly (src/eval/anomaly.ts). */
  readonly anomaly?: AnomalyOptions | null;
}

/** The eval report of the run in `runDir`, whose trained model `port` runs (the caller disposes it). */
export async function evaluatePort(port: ModelPort, runDir: string, opts: EvalOptions = {}): Promise<Result<EvalReport>> {
  const samples = opts.iwaeSamples ?? DEFAULT_IWAE_SAMPLES;
  if (!(Number.isSafeInteger(samples) && samples >= 1)) throw new Error(`internal: IWAE samples ${samples} must be a whole number >= 1`);
  const { ir, epoch } = port;
  const data = await evalData(ir, runDir, opts.limit ?? null);
  if (!data.ok) return data;
  const { split, evaluated, train } = data.value;
  if (evaluated.count === 0) return fail(diag("AE3301", `cannot evaluate '${runDir}': there are no examples to evaluate`, { file: runDir, start: 0, end: 0 }));
  const anomalyOpts = opts.anomaly ?? null;
  let scored: Dataset | null = null;
  if (anomalyOpts !== null) {
    const s = await scoredExamples(anomalyOpts, ir, runDir, { split, evaluated }, opts.limit ?? null);
    if (!s.ok) return s;
    scored = s.value;
  }
  const notes: string[] = [];

  const likelihood = ir.losses.flatMap((l) => (l.kind === "reconstruction" ? [l.likelihood] : []))[0] ?? null;
  const unitRange = evaluated.range !== null && evaluated.range[0] >= 0 && evaluated.range[1] <= 1;
  const batch = Math.max(1, Math.min(ir.train.batch, MAX_EVAL_BATCH));
  // A ladder samples through its own forward pass; the decoder alone serves it too.
  const sampled = ir.bottleneck.kind === "gaussian" || ir.bottleneck.kind === "ladder";
  const sampler = sampled ? importanceSampler(ir.train.seed, samples, likelihood ?? "mse") : null;
  const pass = await evaluationPass(port, evaluated, { batch, errors: true, crossEntropy: unitRange, sampler });

  if (anomalyOpts === null && evaluated.labels !== null) notes.push("anomaly AUROC: give --anomaly-class C for a model trained without class C");

  const probe = evaluated.labels !== null && train.labels !== null ? await probeSection(port, pass, evaluated, train, batch, opts.limit ?? null) : null;
  const report: EvalReport = {
    run: runDir,
    model: ir.name,
    epoch,
    bottleneck: ir.bottleneck.kind,
    split,
    examples: evaluated.count,
    reconstruction: { likelihood, mse: mean(pass.squaredError), bce: pass.crossEntropy === null ? null : mean(pass.crossEntropy) },
    corrupted: await corruptedReconstruction(port, evaluated, batch, unitRange),
    gaussian: gaussianSection(pass, samples),
    ladder: ladderSection(pass, samples),
    codebook: ir.bottleneck.kind === "vq" && pass.vqIndices !== null ? codebookSection(pass.vqIndices, ir.bottleneck.codes) : null,
    probe,
    mig: evaluated.factors === null ? null : migSection(pass, evaluated),
    subspace: isLinearModel(ir) ? await subspaceAngles(port, train, { split, data: evaluated }) : null,
    interpolation: await interpolationLengths(port, evaluated),
    anomaly: anomalyOpts === null || scored === null ? null : await anomalyOf(port, pass, scored, scored === evaluated, anomalyOpts, likelihood, batch),
    pooledCodes: pass.pooled,
    notes,
  };
  return ok(report);
}

/** The anomaly scores of the evaluated examples' pass, or of another pass over the named set. */
async function anomalyOf(
  port: ModelPort,
  pass: PassResult,
  scored: Dataset,
  same: boolean,
  o: AnomalyOptions,
  likelihood: EvalReport["reconstruction"]["likelihood"],
  batch: number,
) {
  const unitRange = scored.range !== null && scored.range[0] >= 0 && scored.range[1] <= 1;
  const p = same ? pass : await evaluationPass(port, scored, { batch, errors: true, crossEntropy: unitRange, sampler: null });
  return anomalySection(p, scored.labels!, o, likelihood, scored.shape);
}

function gaussianSection(pass: PassResult, samples: number): EvalReport["gaussian"] {
  const g = pass.gaussian;
  if (g === null) return null;
  const meanM = rowMatrix(g.mean, pass.count, g.units);
  const perUnit = klPerUnit(meanM, rowMatrix(g.logVar, pass.count, g.units));
  return {
    units: g.units,
    kl: perUnit.reduce((a, b) => a + b, 0),
    klPerUnit: Array.from(perUnit),
    activeUnits: activeUnits(meanM).active,
    iwae: iwaeSection(pass, samples),
  };
}

function iwaeSection(pass: PassResult, samples: number): IwaeBounds | null {
  const w = pass.logWeights;
  if (w === null) return null;
  const bound = iwaeBound(rowMatrix(w, pass.count, samples)).mean;
  return { samples, elbo: mean(w), bound, nll: -bound };
}

function ladderSection(pass: PassResult, samples: number): EvalReport["ladder"] {
  if (pass.ladder === null) return null;
  const n = pass.count;
  const levels = pass.ladder.map((l) => {
    const m = rowMatrix(l.mean, n, l.units);
    const prior =
      l.priorMean === null || l.priorLogVar === null ? null : { mean: rowMatrix(l.priorMean, n, l.units), logVar: rowMatrix(l.priorLogVar, n, l.units) };
    const perUnit = klPerUnit(m, rowMatrix(l.logVar, n, l.units), prior);
    return { units: l.units, kl: perUnit.reduce((a, b) => a + b, 0), klPerUnit: Array.from(perUnit), activeUnits: activeUnits(m).active };
  });
  return { levels, kl: levels.reduce((a, l) => a + l.kl, 0), iwae: iwaeSection(pass, samples) };
}

function codebookSection(indices: Int32Array, codes: number): EvalReport["codebook"] {
  const counts = usageHistogram(indices, codes);
  const u = codebookUsage(counts);
  return u === null ? null : { ...u, usage: Array.from(counts) };
}

async function probeSection(
  port: ModelPort,
  pass: PassResult,
  evaluated: Dataset,
  train: Dataset,
  batch: number,
  limit: number | null,
): Promise<EvalReport["probe"]> {
  const part = firstExamples(train, Math.min(limit ?? Infinity, PROBE_TRAIN_EXAMPLES));
  const fitted = await evaluationPass(port, part, { batch, errors: false, crossEntropy: false, sampler: null });
  const r = linearProbe(
    { codes: rowMatrix(fitted.codes, part.count, fitted.codeWidth), labels: part.labels! },
    { codes: rowMatrix(pass.codes, pass.count, pass.codeWidth), labels: evaluated.labels! },
  );
  return r.classes < 2 ? null : r;
}

function migSection(pass: PassResult, evaluated: Dataset): EvalReport["mig"] {
  const f = evaluated.factors!;
  const r = mutualInformationGap(rowMatrix(pass.codes, pass.count, pass.codeWidth), rowMatrix(f.values, pass.count, f.names.length));
  return { score: r.score, factors: f.names.map((name, k) => ({ name, gap: r.perFactor[k] ?? null })) };
}
