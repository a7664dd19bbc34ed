/**
 * `aespec report` as a function: loads the run once, evaluates its model
 * through the evaluation port (the metrics table, KL per unit, codebook
 * usage), draws the pictures with it, and writes RUN/report.html atomically. Deterministic: every
 * draw comes from the run's seed, stream "report".
 */
import { join } from "node:path";
import type { Result } from "../../../src/data/result.js";
import { codebookSection } from "../../../src/report/codebook-section.js";
import { reportPage, type ReportSection } from "../../../src/report/html.js";
import { metricsSection } from "../../../src/report/metrics-section.js";
import { specSection } from "../../../src/report/spec-section.js";
import { readEpochLog, trainingCurvesSection } from "../../../src/report/training-curves.js";
import { writeReportFile } from "../../../src/report/write-report-file.js";
import { RUN_FILES } from "../../../src/run/run-dir.js";
import { evaluatePort, type EvalOptions } from "../../../src/eval/evaluate-run.js";
import { tfjsPort } from "../eval/tfjs-port.js";
import { codesSection } from "./codes-section.js";
import { interpolationsSection } from "./interpolations-section.js";
import { priorSamplesSection } from "./prior-samples-section.js";
import { reconstructionsSection } from "./reconstructions-section.js";
import { reportInputs } from "./report-inputs.js";
import { traversalsSection } from "./traversals-section.js";
import { unitOrder } from "./unit-order.js";

export interface ReportOptions {
  /** K of the IWAE bound of the metrics table. */
  readonly iwaeSamples?: number;
  /** Evaluate and draw only the first N examples. */
  readonly limit?: number | null;
}

/** The page's HTML. */
export async function buildReport(runDir: string, opts: ReportOptions = {}): Promise<Result<string>> {
  const evalOpts: EvalOptions = { limit: opts.limit ?? null, ...(opts.iwaeSamples !== undefined ? { iwaeSamples: opts.iwaeSamples } : {}) };
  const inputs = await reportInputs(runDir, opts.limit ?? null);
  if (!inputs.ok) return inputs;
  const r = inputs.value;
  try {
    // The port shares the model the pictures draw with; it is disposed with it below.
    const evaluated = await evaluatePort(tfjsPort(r.model, r.epoch), runDir, evalOpts);
    if (!evaluated.ok) return evaluated;
    const report = evaluated.value;
    const order = unitOrder(report, r.codes, r.examples.count, r.io.codeWidth);
    const sections: ReportSection[] = [
      await trainingCurvesSection(readEpochLog(join(runDir, RUN_FILES.metrics))),
      await reconstructionsSection(r),
      await priorSamplesSection(r, report),
      await traversalsSection(r, order),
      await interpolationsSection(r),
      await codesSection(r, order),
      await codebookSection(report),
      metricsSection(report),
      specSection(join(runDir, RUN_FILES.spec), report.model),
    ];
    const subtitle = `model ${report.model}, ${report.bottleneck} bottleneck, epoch ${report.epoch}; run ${runDir}`;
    return { ok: true, value: reportPage(`aespec report: ${report.model}`, subtitle, sections) };
  } finally {
    r.io.model.dispose();
  }
}

/** Builds the page and writes it to RUN/report.html; returns the path written. */
export async function writeReport(runDir: string, opts: ReportOptions = {}): Promise<Result<string>> {
  const html = await buildReport(runDir, opts);
  return html.ok ? writeReportFile(runDir, html.value) : html;
}
