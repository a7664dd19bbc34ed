/** A VQ codebook's usage over the evaluated examples, as a bar chart (counts from `aespec eval`). */
import type { EvalReport } from "../eval/eval-report.js";
import { num } from "../eval/eval-rows.js";
import { paragraph, plotFigure, type ReportSection } from "./html.js";
import { CHART_CONFIG, chartSvg } from "./vega-svg.js";

/** null for a model without a codebook: the page says once that the section does not apply (build-report.ts). */
export async function codebookSection(r: EvalReport): Promise<ReportSection | null> {
  const section = (html: string): ReportSection => ({ id: "codebook", title: "Codebook usage", html });
  if (r.bottleneck !== "vq") return null;
  const c = r.codebook;
  if (c === null) return section(paragraph("The codebook's usage could not be measured."));
  const svg = await chartSvg({
    title: `${c.used} of ${c.codes} codes used`,
    width: Math.min(900, Math.max(200, 12 * c.codes)),
    height: 160,
    config: CHART_CONFIG,
    data: { values: c.usage.map((count, code) => ({ code, count })) },
    mark: "bar",
    encoding: {
      x: { field: "code", type: "ordinal", title: "code", axis: { labels: c.codes <= 64 } },
      y: { field: "count", type: "quantitative", title: "latent vectors" },
    },
  });
  return section(
    plotFigure(svg, `how many latent vectors of the ${r.examples} evaluated examples chose each code; perplexity ${num(c.perplexity)}, ${c.dead} dead`),
  );
}
