/**
 * Vega-Lite charts rendered to SVG in Node: compiled to Vega, run headless
 * (renderer "none": no canvas, no browser) and serialised by View.toSVG.
 * Data are always inline values, so nothing is ever loaded.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type ChartSpec = TopLevelSpec;

export async function chartSvg(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none", logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Chart defaults shared by the report's plots. */
export const CHART_CONFIG = {
  font: "system-ui, sans-serif",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13 },
} as const;
