/**
 * Interpolations between the codes of pairs of evaluated examples (0 and 1,
 * 2 and 3, ... as `aespec eval` measures their smoothness), at the prior's
 * level, decoded; each row starts and ends with the two inputs themselves.
 */
import { elementsPerExample } from "../data/dataset.js";
import { linearInterpolation } from "../metrics/interpolation-path.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, paragraph, type ReportSection } from "./html.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";

const PAIRS = 6;
const STEPS = 9;

export async function interpolationsSection(r: ReportInputs): Promise<ReportSection | null> {
  const section = (html: string): ReportSection => ({ id: "interpolations", title: "Interpolations", html });
  // Not an image: the page says once that its pictures are not shown (build-report.ts).
  if (r.image === null) return null;
  const pairs = Math.min(PAIRS, Math.floor(r.examples.count / 2));
  if (pairs === 0) return section(paragraph("Fewer than two examples: there is no pair to interpolate between."));
  const width = r.io.codeWidth;
  const features = elementsPerExample(r.ir.input.shape);
  const z = new Float32Array(pairs * STEPS * width);
  for (let p = 0; p < pairs; p++) {
    const path = linearInterpolation(r.codes.subarray(2 * p * width, (2 * p + 1) * width), r.codes.subarray((2 * p + 1) * width, (2 * p + 2) * width), STEPS);
    z.set(Float32Array.from(path.data), p * STEPS * width);
  }
  const decoded = rowsOf(await r.io.decode(z, pairs * STEPS), pairs * STEPS, features);
  const inputs = rowsOf(r.examples.x, 2 * pairs, features);
  const rows = Array.from({ length: pairs }, (_, p) => [inputs[2 * p]!, ...decoded.slice(p * STEPS, (p + 1) * STEPS), inputs[2 * p + 1]!]);
  const level = r.ir.bottleneck.kind === "ladder" ? "top-level posterior means, decoded from the top" : "codes";
  return section(
    imageFigure(
      pngDataUri(gridPng(rows, r.image, r.range)),
      `each row: an example, ${STEPS} points on the straight line between its ${level} and the next example's, decoded, and that example`,
      "interpolations",
    ),
  );
}
