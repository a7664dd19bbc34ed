/**
 * The comparison page's metrics against swept values: for every axis whose
 * values are all numbers (`loss.kl.beta`, `bottleneck.codes`, ...) and every
 * plotted metric, one chart of each run's value (a dot) and each point's mean
 * over its seeds (a line, with a bar of ± one standard deviation), a colour
 * for each combination of the other axes. A log scale where the values are
 * positive and span a factor of ten or more.
 */
import type { Comparison } from "./comparison.js";
import { paragraph, plotFigure, type ReportSection } from "./html.js";
import { CHART_CONFIG, chartSvg, type ChartSpec } from "./vega-svg.js";

/** The numeric axes (the seed aside): those whose every run's value is a number. */
export function numericAxes(c: Comparison): string[] {
  return c.axes.filter((a) => a !== "seed" && c.runs.every((r) => r.values[a] !== undefined && Number.isFinite(Number(r.values[a]))));
}

/** The metrics every run has, in the order of the first run. */
export function sharedMetrics(c: Comparison): string[] {
  const first = c.runs[0];
  return first === undefined ? [] : Object.keys(first.metrics).filter((m) => c.runs.every((r) => m in r.metrics));
}

/** null when no axis is numeric (nothing to plot against). `plotted`: the metrics to draw, all shared ones when null. */
export async function sweptValuesSection(c: Comparison, plotted: readonly string[] | null): Promise<ReportSection | null> {
  const axes = numericAxes(c);
  if (axes.length === 0) return null;
  const metrics = plotted ?? sharedMetrics(c);
  const logged = axes.filter((a) => logScaled(c, a));
  const figures: string[] = [];
  for (const axis of axes) {
    const others = c.axes.filter((a) => a !== axis && a !== "seed");
    const groupOf = (values: Readonly<Record<string, string>>) => others.map((a) => `${a}=${values[a] ?? "?"}`).join(", ") || "all";
    const log = logged.includes(axis);
    for (const metric of metrics) {
      const dots = c.runs
        .filter((r) => r.metrics[metric] !== undefined)
        .map((r) => ({ x: Number(r.values[axis]), y: r.metrics[metric]!, group: groupOf(r.values), run: r.name }));
      const means = c.points
        .filter((p) => p.metrics[metric] !== undefined)
        .map((p) => {
          const s = p.metrics[metric]!;
          return { x: Number(p.values[axis]), y: s.mean, low: s.mean - s.sd, high: s.mean + s.sd, group: groupOf(p.values) };
        })
        .sort((a, b) => a.x - b.x);
      figures.push(
        plotFigure(
          await chartSvg(chart(axis, metric, dots, means, log)),
          `${metric} against ${axis}: each run a dot, each point's mean over its seeds a line (± one standard deviation)`,
        ),
      );
    }
  }
  return {
    id: "swept",
    title: "Against the swept values",
    html: `${paragraph(`Each metric of the runs against ${axes.join(" and ")}${logNote(logged)}.`)}<div class="figures">${figures.join("\n")}</div>`,
  };
}

/** Positive values over a factor of ten or more. */
const logNote = (logged: readonly string[]) => (logged.length > 0 ? ` (${logged.join(", ")} on a log scale)` : "");

function logScaled(c: Comparison, axis: string): boolean {
  const xs = c.runs.map((r) => Number(r.values[axis]));
  return Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 10;
}

function chart(
  axis: string,
  metric: string,
  dots: readonly object[],
  means: readonly { x: number; y: number; low: number; high: number; group: string }[],
  log: boolean,
): ChartSpec {
  const x = { field: "x", type: "quantitative", title: axis, scale: log ? { type: "log" } : { zero: false } } as const;
  const color = { field: "group", type: "nominal", title: "point" } as const;
  return {
    title: metric,
    width: 260,
    height: 170,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: means },
        mark: { type: "line" },
        encoding: { x, y: { field: "y", type: "quantitative", title: metric, scale: { zero: false } }, color },
      },
      { data: { values: means }, mark: { type: "rule" }, encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" }, color } },
      { data: { values: dots }, mark: { type: "point", filled: true, size: 30 }, encoding: { x, y: { field: "y", type: "quantitative" }, color } },
    ],
  } as ChartSpec;
}
