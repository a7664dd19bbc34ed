/**
 * `aespec compare RUN_OR_SWEEP... -o FILE` (and `aespec report RUN1 RUN2 -o
 * FILE`): runs side by side on one self-contained page. Their settings in one
 * table, each loss term's curves overlaid (a colour per run; train solid,
 * validation dashed; each run's collapse warnings marked in its colour), the
 * metrics of `aespec eval` in columns (the rows of the terminal table,
 * src/eval/eval-rows.ts; a dash where a run has no such metric), each metric
 * against each numeric swept value (swept-values-section.ts), and the runs
 * that differ only in their seed summed up: each metric's mean and spread.
 */
import { evalRows, num } from "../eval/eval-rows.js";
import { runWarnings } from "../target/collapse-warnings.js";
import type { Comparison, ComparedRun } from "./comparison.js";
import { escapeHtml, paragraph, plotFigure, reportPage, type ReportSection } from "./html.js";
import { sweptValuesSection } from "./swept-values-section.js";
import { curveNames, termPoints, unitOf } from "./training-curves.js";
import { CHART_CONFIG, chartSvg, type ChartSpec } from "./vega-svg.js";

export type { ComparedRun } from "./comparison.js";

/** `plotted`: the metrics drawn against each swept value (all the runs have when null). */
export async function comparisonPage(runs: readonly ComparedRun[], comparison: Comparison, plotted: readonly string[] | null = null): Promise<string> {
  const sections: ReportSection[] = [runsSection(runs), await curvesSection(runs), metricsSection(runs)];
  const swept = await sweptValuesSection(comparison, plotted);
  if (swept !== null) sections.push(swept);
  const seeds = seedsSection(comparison);
  if (seeds !== null) sections.push(seeds);
  return reportPage(`aespec report: ${runs.length} runs compared`, runs.map((r) => r.name).join(" · "), sections);
}

function runsSection(runs: readonly ComparedRun[]): ReportSection {
  const head = ["run", "model", "bottleneck", "parameters", "epochs", "batch", "seed", "wall time"];
  const rows = runs.map((r) => {
    const seconds = r.epochs.reduce((s, e) => s + e.seconds, 0);
    return [
      r.name,
      r.ir.name,
      r.report.bottleneck,
      r.ir.totals.parameters.toLocaleString("en-US"),
      `${r.epochs.length} of ${r.ir.train.epochs}`,
      String(r.ir.train.batch),
      String(r.ir.train.seed),
      `${seconds.toFixed(1)} s`,
    ];
  });
  return { id: "runs", title: "Runs", html: table(head, rows) };
}

interface Point {
  readonly epoch: number;
  readonly value: number;
  readonly run: string;
  readonly split: string;
}

async function curvesSection(runs: readonly ComparedRun[]): Promise<ReportSection> {
  const names = [...new Set(runs.flatMap((r) => curveNames(r.epochs)))].filter((n) => n !== "total").concat("total");
  const marks = runs.flatMap((r) => runWarnings(r.ir, r.epochs).map((w) => ({ epoch: w.epoch, code: w.warning.code, run: r.name })));
  const figures: string[] = [];
  for (const term of names) {
    const points: Point[] = runs.flatMap((r) => termPoints(r.epochs, term).map((p) => ({ epoch: p.epoch, value: p.value, run: r.name, split: p.series })));
    if (points.length === 0) continue;
    const units = [...new Set(runs.map((r) => unitOf(r.ir, term)))];
    figures.push(
      plotFigure(
        await chartSvg(overlay(term, points, units.join(" / "), marks)),
        `${term}: every run's training curve (solid; within epochs where the run logged its steps) and validation means (dashed)`,
      ),
    );
  }
  const notes =
    marks.length > 0
      ? paragraph(`Collapse warnings, marked in their run's colour: ${marks.map((m) => `${m.run} ${m.code} at epoch ${m.epoch}`).join("; ")}.`)
      : "";
  return { id: "curves", title: "Training curves", html: `${notes}<div class="figures">${figures.join("\n")}</div>` };
}

function overlay(title: string, points: readonly Point[], yTitle: string, marks: readonly { epoch: number; code: string; run: string }[]): ChartSpec {
  const x = { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } } as const;
  const color = { field: "run", type: "nominal", title: "run" } as const;
  const line = {
    data: { values: points as Point[] },
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: { field: "value", type: "quantitative", title: yTitle, scale: { zero: false }, axis: { format: ".4~g" } },
      color,
      strokeDash: {
        field: "split",
        type: "nominal",
        title: "split",
        scale: {
          domain: ["train", "validation"],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
      detail: { field: "split" },
    },
  } as const;
  const layers: object[] = [line];
  if (marks.length > 0) layers.push({ data: { values: marks }, mark: { type: "rule", strokeDash: [2, 2] }, encoding: { x, color } });
  return { title, width: 300, height: 170, config: CHART_CONFIG, layer: layers } as ChartSpec;
}

/** The eval table's rows of each run in a column (a dash where a run has no such metric). */
function metricsSection(runs: readonly ComparedRun[]): ReportSection {
  const perRun = runs.map((r) => new Map(evalRows(r.report)));
  const metrics = [...new Set(perRun.flatMap((p) => [...p.keys()]))];
  const rows = metrics.map((m) => [m, ...perRun.map((p) => p.get(m) ?? "—")]);
  const headings = runs.map((r) => `${r.name} (epoch ${r.report.epoch}, ${r.report.examples} examples)`);
  return { id: "metrics", title: "Metrics", html: table(["metric", ...headings], rows, 1) };
}

/** A table; cells from column `valuesFrom` on are numbers, set as such. */
function table(head: readonly string[], rows: readonly (readonly string[])[], valuesFrom = 3): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= valuesFrom ? ' class="value"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr.join("\n")}\n</tbody></table>`;
}

/** Each metric's mean ± standard deviation over the seeds of each point that has several; null when none has. */
function seedsSection(c: Comparison): ReportSection | null {
  const seeded = c.points.filter((p) => p.runs.length > 1);
  if (seeded.length === 0) return null;
  const metrics = [...new Set(seeded.flatMap((p) => Object.keys(p.metrics)))];
  const rows = metrics.map((m) => [
    m,
    ...seeded.map((p) => {
      const s = p.metrics[m];
      return s === undefined ? "—" : `${num(s.mean)} ± ${num(s.sd)} (${s.n})`;
    }),
  ]);
  const heads = seeded.map((p) => `${p.name} (${p.runs.length} runs)`);
  return {
    id: "seeds",
    title: "Over seeds",
    html: `${paragraph("Each metric's mean ± standard deviation (n - 1) over the runs that are the same model but for their seed (eval's metrics, then the final epoch's loss terms).")}${table(["metric", ...heads], rows, 1)}`,
  };
}
