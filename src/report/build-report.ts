/**
 * `aespec report` as a function of a model port (src/eval/model-port.ts),
 * whatever engine runs it: evaluates the model (the metrics table, KL per
 * unit, codebook usage), draws the pictures with the same port, and writes
 * RUN/report.html atomically. Deterministic: every draw comes from the run's
 * seed, stream "report".
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { overridesOf } from "../run/spec-as-trained.js";
import type { Result } from "../data/result.js";
import { evaluatePort, type EvalOptions } from "../eval/evaluate-run.js";
import type { ModelPort } from "../eval/model-port.js";
import { readEpochLog } from "../run/metrics.js";
import { RUN_FILES } from "../run/run-dir.js";
import { codebookSection } from "./codebook-section.js";
import { codeSwapsSection } from "./code-swaps-section.js";
import { codesSection } from "./codes-section.js";
import { escapeHtml, reportPage, type ReportSection } from "./html.js";
import { interpolationsSection } from "./interpolations-section.js";
import { metricsSection } from "./metrics-section.js";
import { priorSamplesSection } from "./prior-samples-section.js";
import { reconstructionsSection } from "./reconstructions-section.js";
import { reportInputs } from "./report-inputs.js";
import { runSection } from "./run-section.js";
import { specSection } from "./spec-section.js";
import { trainingCurvesSection } from "./training-curves.js";
import { traversalsSection } from "./traversals-section.js";
import { unitOrder } from "./unit-order.js";
import { writeReportFile } from "./write-report-file.js";

export interface ReportOptions {
  /** K of the IWAE bound of the metrics table. */
  readonly iwaeSamples?: number;
  /** Evaluate and draw only the first N examples. */
  readonly limit?: number | null;
}

/** The page's HTML for the run in `runDir`, whose trained model `port` runs (the caller disposes it). */
export async function buildReport(port: ModelPort, runDir: string, opts: ReportOptions = {}): Promise<Result<string>> {
  const evalOpts: EvalOptions = { limit: opts.limit ?? null, ...(opts.iwaeSamples !== undefined ? { iwaeSamples: opts.iwaeSamples } : {}) };
  const evaluated = await evaluatePort(port, runDir, evalOpts);
  if (!evaluated.ok) return evaluated;
  const report = evaluated.value;
  const inputs = await reportInputs(port, runDir, opts.limit ?? null);
  if (!inputs.ok) return inputs;
  const r = inputs.value;
  const order = unitOrder(report, r.codes, r.examples.count, r.io.codeWidth);
  const log = readEpochLog(join(runDir, RUN_FILES.metrics));
  const sections: (ReportSection | null)[] = [
    await trainingCurvesSection(log, r.ir),
    await reconstructionsSection(r),
    await priorSamplesSection(r, report),
    r.ir.bottleneck.kind === "vq" ? await codeSwapsSection(r, report) : await traversalsSection(r, order),
    await interpolationsSection(r),
    await codesSection(r, order),
    await codebookSection(report),
    metricsSection(report),
    runSection(r.ir, report.epoch, log?.epochs ?? [], overridesIn(join(runDir, RUN_FILES.spec))),
    specSection(join(runDir, RUN_FILES.spec), report.model),
  ];
  const notShown = notShownSection(r.image === null ? r.ir.input.shape : null, report.bottleneck);
  const subtitle = `model ${report.model}, ${report.bottleneck} bottleneck, epoch ${report.epoch}; run ${runDir}`;
  const shown = sections.filter((s): s is ReportSection => s !== null);
  return { ok: true, value: reportPage(`aespec report: ${report.model}`, subtitle, notShown === null ? shown : [...shown, notShown]) };
}

/** The overrides RUN/spec.aespec says the run was trained with; none when it has no such file. */
function overridesIn(specFile: string): string[] {
  return existsSync(specFile) ? overridesOf(readFileSync(specFile, "utf8")) : [];
}

/** The sections left out because they do not apply to the model, said once; null when all apply. */
function notShownSection(notAnImage: readonly number[] | null, bottleneck: string): ReportSection | null {
  const why = [
    ...(notAnImage === null
      ? []
      : [`reconstructions, prior samples, traversals and interpolations: the input is [${notAnImage.join(", ")}], not an image ([height, width, 1 or 3])`]),
    ...(bottleneck === "vq" ? [] : [`codebook usage: the bottleneck is ${bottleneck}, not vq`]),
  ];
  if (why.length === 0) return null;
  return { id: "not-shown", title: "Not shown", html: `<ul class="notes">${why.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>` };
}

/** Builds the page and writes it to RUN/report.html; returns the path written. */
export async function writeReport(port: ModelPort, runDir: string, opts: ReportOptions = {}): Promise<Result<string>> {
  const html = await buildReport(port, runDir, opts);
  return html.ok ? writeReportFile(runDir, html.value) : html;
}
