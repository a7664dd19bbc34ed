/** Two units of the codes of the evaluated examples as a scatter, coloured by class when the data have labels. */
import { plotFigure } from "./html.js";
import { CHART_CONFIG, chartSvg } from "./vega-svg.js";

export interface ScatterInput {
  /** count x width, row-major. */
  readonly codes: Float32Array;
  readonly count: number;
  readonly width: number;
  readonly labels: Int32Array | null;
  /** The two units to plot. */
  readonly units: readonly [number, number];
}

export async function codeScatter(s: ScatterInput, caption: string): Promise<string> {
  const [a, b] = s.units;
  const values = Array.from({ length: s.count }, (_, i) => ({
    a: s.codes[i * s.width + a]!,
    b: s.codes[i * s.width + b]!,
    ...(s.labels !== null ? { label: String(s.labels[i]!) } : {}),
  }));
  const svg = await chartSvg({
    width: 320,
    height: 320,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: "point", filled: true, size: 30, opacity: 0.75 },
    encoding: {
      x: { field: "a", type: "quantitative", title: `unit ${a}`, scale: { zero: false } },
      y: { field: "b", type: "quantitative", title: `unit ${b}`, scale: { zero: false } },
      ...(s.labels !== null ? { color: { field: "label", type: "nominal", title: "class" } } : {}),
    },
  });
  return plotFigure(svg, caption);
}
