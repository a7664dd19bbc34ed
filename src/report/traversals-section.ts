/**
 * Latent traversals: the code of one example with one unit swept over a
 * range, decoded; one row per unit, the most informative units first
 * (unit-order.ts). A Gaussian's (or a ladder's top-level) unit sweeps the
 * prior's -3..3; any other code's unit its mean +- 2.5 standard deviations
 * over the evaluated examples.
 */
import { elementsPerExample } from "../data/dataset.js";
import { num } from "../eval/eval-rows.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, paragraph, type ReportSection } from "./html.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";
import type { UnitOrder } from "./unit-order.js";

export const TRAVERSAL_ROWS = 10;
export const TRAVERSAL_STEPS = 9;

export async function traversalsSection(r: ReportInputs, order: UnitOrder): Promise<ReportSection | null> {
  const section = (html: string): ReportSection => ({ id: "traversals", title: "Latent traversals", html });
  // Not an image: the page says once that its pictures are not shown (build-report.ts).
  if (r.image === null) return null;
  if (r.examples.count === 0) return section(paragraph("There is no example to start from."));
  const width = r.io.codeWidth;
  const units = order.units.slice(0, TRAVERSAL_ROWS);
  const base = r.codes.subarray(0, width);
  const prior = r.ir.bottleneck.kind === "gaussian" || r.ir.bottleneck.kind === "ladder";
  const n = units.length * TRAVERSAL_STEPS;
  const z = new Float32Array(n * width);
  units.forEach((u, row) => {
    const [mid, half] = prior ? [0, 3] : [order.mean[u]!, 2.5 * order.std[u]!];
    for (let s = 0; s < TRAVERSAL_STEPS; s++) {
      const at = (row * TRAVERSAL_STEPS + s) * width;
      z.set(base, at);
      z[at + u] = mid - half + (2 * half * s) / (TRAVERSAL_STEPS - 1);
    }
  });
  const images = rowsOf(await r.io.decode(z, n), n, elementsPerExample(r.ir.input.shape));
  const rows = units.map((_, i) => images.slice(i * TRAVERSAL_STEPS, (i + 1) * TRAVERSAL_STEPS));
  const score = order.by === "kl" ? "KL" : "variance";
  const rowNames = units
    .map((u) => (order.by === "kl" ? `unit ${u} (KL ${num(order.scores[u]!)} nats)` : `unit ${u} (variance ${num(order.scores[u]!)})`))
    .join("; ");
  const sweep = prior ? "from -3 to 3 (the prior's N(0, 1))" : "from its mean - 2.5 sd to its mean + 2.5 sd over the evaluated examples";
  const caption = `the code of the first example with one unit swept ${sweep}, decoded; one row per unit, by ${score}, largest first: ${rowNames}`;
  const shown = units.length < width ? paragraph(`The ${units.length} units of ${width} with the largest ${score}.`) : "";
  return section(shown + imageFigure(pngDataUri(gridPng(rows, r.image, r.range)), caption, "latent traversals"));
}
