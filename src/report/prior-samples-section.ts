/**
 * Samples from the prior, decoded: N(0, I) draws at the prior's level for a
 * Gaussian, a ladder (from its top level) and a deterministic code trained
 * toward the normal prior (MMD or adversarial: WAE, AAE); for a VQ model,
 * codes drawn uniformly from those the evaluated examples used, one per
 * latent position (a VQ-VAE has no learned prior over code maps: this shows
 * what the decoder makes of codes it knows, in arrangements it may not).
 */
import { elementsPerExample } from "../data/dataset.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, paragraph, type ReportSection } from "./html.js";
import type { EvalReport } from "../eval/eval-report.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";

const ROWS = 4;
const COLUMNS = 8;

type Draw = { readonly z: Float32Array; readonly caption: string } | { readonly why: string };

export async function priorSamplesSection(r: ReportInputs, report: EvalReport): Promise<ReportSection | null> {
  const section = (html: string): ReportSection => ({ id: "samples", title: "Samples from the prior", html });
  // Not an image: the page says once that its pictures are not shown (build-report.ts).
  if (r.image === null) return null;
  const n = ROWS * COLUMNS;
  const draw = await priorDraws(r, report, n);
  if ("why" in draw) return section(paragraph(draw.why));
  const images = rowsOf(await r.io.decode(draw.z, n), n, elementsPerExample(r.ir.input.shape));
  const rows = Array.from({ length: ROWS }, (_, i) => images.slice(i * COLUMNS, (i + 1) * COLUMNS));
  return section(imageFigure(pngDataUri(gridPng(rows, r.image, r.range)), draw.caption));
}

async function priorDraws(r: ReportInputs, report: EvalReport, n: number): Promise<Draw> {
  const width = r.io.codeWidth;
  const normal = () => Float32Array.from({ length: n * width }, () => r.rng.normal());
  const b = r.ir.bottleneck;
  const shape = `[${r.port.priorShape.join(", ")}]`;
  switch (b.kind) {
    case "gaussian":
      return { z: normal(), caption: `${n} draws of N(0, I) at ${shape}, decoded` };
    case "ladder":
      return { z: normal(), caption: `${n} draws of N(0, I) at the top level ${shape}, decoded down the top-down path (prior means below the top)` };
    case "deterministic": {
      const matched = r.ir.losses.filter((l) => l.kind === "mmd" || l.kind === "adversarial").map((l) => l.kind);
      if (matched.length === 0)
        return {
          why: "A plain deterministic autoencoder has no prior: nothing was trained to make N(0, I) draws (or any other distribution) decode to data, so there is nothing to sample.",
        };
      return { z: normal(), caption: `${n} draws of the normal prior at ${shape} that the ${matched.join(" and ")} term matched the codes to, decoded` };
    }
    case "vq": {
      const used = (report.codebook?.usage ?? []).flatMap((count, code) => (count > 0 ? [code] : []));
      const vectors = r.codebook;
      if (used.length === 0 || vectors === null) return { why: "No codes were used on the evaluated examples: there is nothing to draw from." };
      const z = new Float32Array(n * width);
      for (let p = 0; p < (n * width) / b.dim; p++) {
        const code = used[r.rng.int(used.length)]!;
        z.set(vectors.subarray(code * b.dim, (code + 1) * b.dim), p * b.dim);
      }
      return {
        z,
        caption: `${n} code maps ${shape}, each position a code drawn uniformly from the ${used.length} codes the evaluated examples used, decoded (a VQ-VAE learns no prior over code maps, so these need not look like data)`,
      };
    }
  }
}
