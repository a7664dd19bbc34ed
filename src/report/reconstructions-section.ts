/** Test images beside their reconstructions, in the same places of two grids. */
import { elementsPerExample } from "../data/dataset.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, paragraph, type ReportSection } from "./html.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";

const SHOWN = 24;
const COLUMNS = 8;

export const SPLIT_WORDS = { test: "test", validation: "validation", train: "training" } as const;

export async function reconstructionsSection(r: ReportInputs): Promise<ReportSection> {
  const section = (html: string): ReportSection => ({ id: "reconstructions", title: "Reconstructions", html });
  if (r.image === null) return section(notAnImage(r.ir.input.shape));
  const n = Math.min(SHOWN, r.examples.count);
  const features = elementsPerExample(r.ir.input.shape);
  const x = r.examples.x.subarray(0, n * features);
  const rec = await r.io.reconstruct(x, n);
  const grid = (a: Float32Array) => {
    const tiles = rowsOf(a, n, features);
    return pngDataUri(
      gridPng(
        Array.from({ length: Math.ceil(n / COLUMNS) }, (_, i) => tiles.slice(i * COLUMNS, (i + 1) * COLUMNS)),
        r.image!,
        r.range,
      ),
    );
  };
  const which = SPLIT_WORDS[r.split];
  return section(`<div class="figures">
${imageFigure(grid(x), `the first ${n} ${which} examples`)}
${imageFigure(grid(rec), "their reconstructions (evaluation mode: a Gaussian decodes its mean)")}
</div>`);
}

export function notAnImage(shape: readonly number[]): string {
  return paragraph(
    `The input is [${shape.join(", ")}], not an image ([height, width, 1 or 3]): there are no pictures of it; the code scatter and the metrics apply.`,
  );
}
