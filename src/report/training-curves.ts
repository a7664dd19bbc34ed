/**
 * Training curves from RUN/metrics.jsonl: one small chart per loss term (and
 * the total), train and validation per epoch; a ladder's KL per level and an
 * adversarial run's discriminator accuracy when the run logged them. The
 * collapse warnings the run raised (runWarnings: its epochs replayed through
 * the trainers' own rules) are marked on every chart at their epoch and
 * listed under the charts.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseEpochLine, type EpochMetrics } from "../run/metrics.js";
import type { IrModel } from "../ir/model.js";
import { runWarnings } from "../target/collapse-warnings.js";
import { escapeHtml, paragraph, plotFigure, type ReportSection } from "./html.js";
import { CHART_CONFIG, chartSvg, type ChartSpec } from "./vega-svg.js";

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

interface Point {
  readonly epoch: number;
  readonly value: number;
  readonly series: string;
}

/** The loss terms in the order they first appear, then the total. */
export function curveNames(epochs: readonly EpochMetrics[]): string[] {
  const names: string[] = [];
  for (const e of epochs) for (const k of Object.keys(e.train.terms)) if (!names.includes(k)) names.push(k);
  return [...names, "total"];
}

function termPoints(epochs: readonly EpochMetrics[], term: string): Point[] {
  const value = (t: EpochMetrics["train"]) => (term === "total" ? t.total : t.terms[term]);
  const points: Point[] = [];
  for (const e of epochs) {
    for (const [series, means] of [
      ["train", e.train],
      ["validation", e.validation],
    ] as const) {
      const v = means === null ? undefined : value(means);
      if (v !== undefined && Number.isFinite(v)) points.push({ epoch: e.epoch, value: v, series });
    }
  }
  return points;
}

/**
 * What a term's values are, for its axis (every term a batch mean of a per-example sum):
 * a likelihood's negative log in nats, mse's squared error, a KL in nats; the total and the
 * other penalties are losses per example in those units, weighted.
 */
export function unitOf(ir: IrModel, term: string): string {
  const rec = ir.losses.find((t) => t.kind === "reconstruction");
  if (term === "reconstruction") return rec?.kind === "reconstruction" && rec.likelihood === "mse" ? "squared error per example" : "nats per example";
  if (term === "kl") return "nats per example";
  return "loss per example";
}

/** A warning's place on the curves: its epoch and code. */
export interface WarningMark {
  readonly epoch: number;
  readonly code: string;
}

function lineChart(title: string, points: readonly Point[], yTitle: string, seriesTitle: string, marks: readonly WarningMark[] = []): ChartSpec {
  const x = { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } } as const;
  const line = {
    data: { values: points as Point[] },
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: { field: "value", type: "quantitative", title: yTitle, scale: { zero: false }, axis: { format: ".4~g" } },
      color: { field: "series", type: "nominal", title: seriesTitle },
    },
  } as const;
  if (marks.length === 0) return { title, width: 260, height: 150, config: CHART_CONFIG, ...line };
  const warnings = { values: marks as WarningMark[] };
  return {
    title,
    width: 260,
    height: 150,
    config: CHART_CONFIG,
    layer: [
      line,
      { data: warnings, mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3] }, encoding: { x } },
      {
        data: warnings,
        mark: { type: "text", color: "#c0392b", align: "left", dx: 3, baseline: "top", y: 2, fontSize: 10 },
        encoding: { x, text: { field: "code" } },
      },
    ],
  } as ChartSpec;
}

export async function trainingCurvesSection(log: EpochLog | null, ir: IrModel): Promise<ReportSection> {
  const section = (html: string): ReportSection => ({ id: "curves", title: "Training curves", html });
  if (log === null) return section(paragraph("This run has no metrics.jsonl: there is nothing to plot."));
  const { epochs, skipped } = log;
  if (epochs.length === 0) return section(paragraph("metrics.jsonl holds no complete epoch yet."));
  const figures: string[] = [];
  const warnings = runWarnings(ir, epochs);
  const marks = warnings.map((w) => ({ epoch: w.epoch, code: w.warning.code }));
  const validated = epochs.some((e) => e.validation !== null);
  for (const term of curveNames(epochs)) {
    const caption = `${term}: mean over the epoch's batches (train)${validated ? " and over the validation set" : ""}`;
    figures.push(plotFigure(await chartSvg(lineChart(term, termPoints(epochs, term), unitOf(ir, term), "split", marks)), caption));
  }
  const levels = epochs.filter((e) => e.levels !== undefined);
  if (levels.length > 0) {
    const points = levels.flatMap((e) => e.levels!.map((l, i) => ({ epoch: e.epoch, value: l.kl, series: `level ${i}` })));
    figures.push(
      plotFigure(
        await chartSvg(lineChart("kl per ladder level", points, "kl (nats)", "level", marks)),
        "each level's KL against its own prior, in nats (level 0 nearest the data)",
      ),
    );
  }
  const adversarial = epochs.filter((e) => e.adversarial !== undefined);
  if (adversarial.length > 0) {
    const points = adversarial.map((e) => ({ epoch: e.epoch, value: e.adversarial!.discriminatorAccuracy, series: "discriminator" }));
    figures.push(
      plotFigure(
        await chartSvg(lineChart("discriminator accuracy", points, "accuracy", "", marks)),
        "share of prior samples and codes the discriminator told apart (0.5: it cannot)",
      ),
    );
  }
  const notes = [
    validated ? "" : paragraph("No validation curve: the run held out no validation fraction."),
    skipped.length > 0
      ? paragraph(
          `${skipped.length} line(s) of metrics.jsonl were not an epoch's metrics and are left out: ${skipped
            .slice(0, 3)
            .map((s) => `line ${s.line}: ${s.why}`)
            .join("; ")}${skipped.length > 3 ? "; …" : ""}.`,
        )
      : "",
  ].join("");
  return section(`${notes}<div class="figures">${figures.join("\n")}</div>${warningList(warnings)}`);
}

/** The warnings under the charts: epoch, code, message and hint, as training printed them. */
function warningList(warnings: ReturnType<typeof runWarnings>): string {
  if (warnings.length === 0) return "";
  const items = warnings.map(
    ({ epoch, warning: w }) =>
      `<li id="warning-${w.code}-${epoch}"><b>epoch ${epoch}, ${w.code}</b>: ${escapeHtml(w.message)}${w.hint !== undefined ? `<br><i>hint: ${escapeHtml(w.hint)}</i>` : ""}</li>`,
  );
  return `<h3>Warnings during training</h3><p>Marked on the curves (dashed, at their epoch); each was raised once, when it began.</p><ul class="warnings">${items.join("")}</ul>`;
}
