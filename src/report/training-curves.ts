/**
 * Training curves from RUN/metrics.jsonl: one small chart per loss term (and
 * the total), train and validation per epoch; a ladder's KL per level and an
 * adversarial run's discriminator accuracy when the run logged them. The
 * collapse warnings the run raised (runWarnings: its epochs replayed through
 * the trainers' own rules) are marked on every chart at their epoch and
 * listed under the charts.
 */
import type { EpochLog, EpochMetrics } from "../run/metrics.js";
import type { IrModel } from "../ir/model.js";
import { runWarnings } from "../target/collapse-warnings.js";
import { escapeHtml, paragraph, plotFigure, type ReportSection } from "./html.js";
import { CHART_CONFIG, chartSvg, type ChartSpec } from "./vega-svg.js";

interface Point {
  readonly epoch: number;
  readonly value: number;
  readonly series: string;
  /** Drawn as a dot: an epoch's mean (validation, or train where the run logged no step curve). */
  readonly dot?: boolean;
}

/** The loss terms in the order they first appear, then the total. */
export function curveNames(epochs: readonly EpochMetrics[]): string[] {
  const names: string[] = [];
  for (const e of epochs) for (const k of Object.keys(e.train.terms)) if (!names.includes(k)) names.push(k);
  return [...names, "total"];
}

/**
 * A term's points: training within each epoch from its step curve (the run's
 * windows of steps, placed at fractional epochs), else the epoch's mean; the
 * validation mean at each epoch's end.
 */
export function termPoints(epochs: readonly EpochMetrics[], term: string): Point[] {
  const value = (t: EpochMetrics["train"]) => (term === "total" ? t.total : t.terms[term]);
  const points: Point[] = [];
  const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
  for (const e of epochs) {
    const c = e.curve;
    const steps = c === undefined ? undefined : term === "total" ? c.total : c.terms[term];
    if (c !== undefined && steps !== undefined) c.at.forEach((at, i) => finite(steps[i]) && points.push({ epoch: at, value: steps[i]!, series: "train" }));
    else if (finite(value(e.train))) points.push({ epoch: e.epoch, value: value(e.train)!, series: "train", dot: true });
    const v = e.validation === null ? undefined : value(e.validation);
    if (finite(v)) points.push({ epoch: e.epoch, value: v, series: "validation", dot: true });
  }
  return points;
}

/** A log scale where a curve spans more than two decades (all positive), else linear from its range. */
function yScale(points: readonly { value: number }[]): { type: "log" } | { zero: false } {
  const vs = points.map((p) => p.value);
  const lo = Math.min(...vs);
  return vs.length > 1 && lo > 0 && Math.max(...vs) / lo > 100 ? { type: "log" } : { zero: false };
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
  const y = { field: "value", type: "quantitative", title: yTitle, scale: yScale(points), axis: { format: ".4~g" } } as const;
  const color = { field: "series", type: "nominal", title: seriesTitle } as const;
  const line = { data: { values: points as Point[] }, mark: { type: "line" }, encoding: { x, y, color } } as const;
  // Dots where a point is an epoch's mean; the step curve is a line alone.
  const dots = { data: { values: points.filter((p) => p.dot === true) as Point[] }, mark: { type: "point", filled: true }, encoding: { x, y, color } } as const;
  const warnings = { values: marks as WarningMark[] };
  return {
    title,
    width: 260,
    height: 150,
    config: CHART_CONFIG,
    layer: [
      line,
      // An empty layer would leave Vega an infinite extent to warn about.
      ...(dots.data.values.length > 0 ? [dots] : []),
      ...(marks.length === 0
        ? []
        : [
            { data: warnings, mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3] }, encoding: { x } },
            {
              data: warnings,
              mark: { type: "text", color: "#c0392b", align: "left", dx: 3, baseline: "top", y: 2, fontSize: 10 },
              encoding: { x, text: { field: "code" } },
            },
          ]),
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
  const stepped = epochs.some((e) => e.curve !== undefined);
  for (const term of curveNames(epochs)) {
    const caption = `${term}: ${stepped ? "training batches' mean over each window of steps (line)" : "mean over the epoch's batches (train)"}${validated ? ", and over the validation set at each epoch's end (dots)" : ""}`;
    figures.push(plotFigure(await chartSvg(lineChart(term, termPoints(epochs, term), unitOf(ir, term), "split", marks)), caption));
  }
  const levels = epochs.filter((e) => e.levels !== undefined);
  if (levels.length > 0) {
    const points = levels.flatMap((e) => e.levels!.map((l, i) => ({ epoch: e.epoch, value: l.kl, series: `level ${i}`, dot: true })));
    figures.push(
      plotFigure(
        await chartSvg(lineChart("kl per ladder level", points, "kl (nats)", "level", marks)),
        "each level's KL against its own prior, in nats (level 0 nearest the data)",
      ),
    );
  }
  const adversarial = epochs.filter((e) => e.adversarial !== undefined);
  if (adversarial.length > 0) {
    const points = adversarial.map((e) => ({ epoch: e.epoch, value: e.adversarial!.discriminatorAccuracy, series: "discriminator", dot: true }));
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
