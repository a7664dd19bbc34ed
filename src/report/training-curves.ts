/**
 * Training curves from RUN/metrics.jsonl: one small chart per loss term (and
 * the total), train and validation per epoch; a ladder's KL per level and an
 * adversarial run's discriminator accuracy when the run logged them.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseEpochLine, type EpochMetrics } from "../run/metrics.js";
import { paragraph, plotFigure, type ReportSection } from "./html.js";
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

function lineChart(title: string, points: readonly Point[], yTitle: string, seriesTitle: string): ChartSpec {
  return {
    title,
    width: 260,
    height: 150,
    config: CHART_CONFIG,
    data: { values: points as Point[] },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
      y: { field: "value", type: "quantitative", title: yTitle, scale: { zero: false }, axis: { format: ".4~g" } },
      color: { field: "series", type: "nominal", title: seriesTitle },
    },
  };
}

export async function trainingCurvesSection(log: EpochLog | null): Promise<ReportSection> {
  const section = (html: string): ReportSection => ({ id: "curves", title: "Training curves", html });
  if (log === null) return section(paragraph("This run has no metrics.jsonl: there is nothing to plot."));
  const { epochs, skipped } = log;
  if (epochs.length === 0) return section(paragraph("metrics.jsonl holds no complete epoch yet."));
  const figures: string[] = [];
  const validated = epochs.some((e) => e.validation !== null);
  for (const term of curveNames(epochs)) {
    const caption = `${term}: mean over the epoch's batches (train)${validated ? " and over the validation set" : ""}`;
    figures.push(plotFigure(await chartSvg(lineChart(term, termPoints(epochs, term), "loss", "split")), caption));
  }
  const levels = epochs.filter((e) => e.levels !== undefined);
  if (levels.length > 0) {
    const points = levels.flatMap((e) => e.levels!.map((l, i) => ({ epoch: e.epoch, value: l.kl, series: `level ${i}` })));
    figures.push(
      plotFigure(
        await chartSvg(lineChart("kl per ladder level", points, "kl (nats)", "level")),
        "each level's KL against its own prior, in nats (level 0 nearest the data)",
      ),
    );
  }
  const adversarial = epochs.filter((e) => e.adversarial !== undefined);
  if (adversarial.length > 0) {
    const points = adversarial.map((e) => ({ epoch: e.epoch, value: e.adversarial!.discriminatorAccuracy, series: "discriminator" }));
    figures.push(
      plotFigure(
        await chartSvg(lineChart("discriminator accuracy", points, "accuracy", "")),
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
  return section(`${notes}<div class="figures">${figures.join("\n")}</div>`);
}
