import type { BottleneckKind } from "../ir/bottleneck.js";
import type { Corruption, CorruptionKind } from "../ir/losses.js";
import { Rng } from "../data/rng.js";
/** Test images beside their reconstructions, in the same places of two grids. */
import { elementsPerExample } from "../data/dataset.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, type ReportSection } from "./html.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";

const SHOWN = 24;
const COLUMNS = 8;

/** What evaluation mode means for the bottleneck's reconstructions, where it changes anything. */
const EVALUATION_MODE: { readonly [K in BottleneckKind]: string } = {
  deterministic: "",
  gaussian: " (evaluation mode: the Gaussian decodes its mean)",
  vq: "",
  ladder: " (evaluation mode: every level passes its posterior mean)",
};

export const SPLIT_WORDS = { test: "test", validation: "validation", train: "training" } as const;

export async function reconstructionsSection(r: ReportInputs): Promise<ReportSection | null> {
  const section = (html: string): ReportSection => ({ id: "reconstructions", title: "Reconstructions", html });
  // Not an image: the page says once that its pictures are not shown (build-report.ts).
  if (r.image === null) return null;
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
  const clean = `<div class="figures">
${imageFigure(grid(x), `the first ${n} ${which} examples`)}
${imageFigure(grid(rec), `their reconstructions${EVALUATION_MODE[r.ir.bottleneck.kind]}`)}
</div>`;
  const c = r.ir.corruption;
  if (c === null) return section(clean);
  // The model's own corruption, drawn from the stream `aespec eval` corrupts with, so these are its first examples' draws.
  const corrupted = await r.port.forwardCorrupted(x, n, new Rng(r.ir.train.seed, "eval/corruption"));
  return section(`<h3>From the corrupted input, as trained</h3><div class="figures">
${imageFigure(grid(x), `the first ${n} ${which} examples`)}
${imageFigure(grid(corrupted.corrupted), `corrupted by the model's ${CORRUPTION_WORDS[c.kind](c as never)}: what the encoder was given`)}
${imageFigure(grid(corrupted.reconstruction), `reconstructed from it${EVALUATION_MODE[r.ir.bottleneck.kind]}, against the clean examples`)}
</div><h3>From the clean input</h3>${clean}`);
}

/** How each corruption reads in a caption. */
const CORRUPTION_WORDS: { readonly [K in CorruptionKind]: (c: Extract<Corruption, { kind: K }>) => string } = {
  gaussian_noise: (c) => `Gaussian noise (sigma ${c.sigma})`,
  dropout_noise: (c) => `dropout noise (each feature zeroed with probability ${c.rate})`,
  saltpepper: (c) => `salt-and-pepper noise (rate ${c.rate})`,
  mask: (c) => `mask (${c.hidden} of ${c.patches} patches of ${c.patch}x${c.patch} hidden)`,
};
