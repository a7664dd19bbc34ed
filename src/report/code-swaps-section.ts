/**
 * What a VQ model's codes mean, in place of traversals (a unit of a code
 * vector swept alone decodes to near-identical images): the first example's
 * code map with one position's code replaced by each of the most used codes,
 * decoded. One row per position, the positions whose code varies most over
 * the evaluated examples first; one column per code, the most used first.
 */
import { elementsPerExample } from "../data/dataset.js";
import type { EvalReport } from "../eval/eval-report.js";
import { gridPng, pngDataUri } from "./image-grid.js";
import { imageFigure, paragraph, type ReportSection } from "./html.js";
import { rowsOf } from "./port-io.js";
import type { ReportInputs } from "./report-inputs.js";

export const SWAP_ROWS = 8;
export const SWAP_CODES = 9;

export async function codeSwapsSection(r: ReportInputs, report: EvalReport): Promise<ReportSection | null> {
  const b = r.ir.bottleneck;
  if (r.image === null || b.kind !== "vq") return null;
  const section = (html: string): ReportSection => ({ id: "traversals", title: "What the codes mean", html });
  if (r.codebook === null || report.codebook === null) return section(paragraph("The run's checkpoint holds no codebook to swap codes from."));
  const indices = r.vqIndices;
  if (indices === null) return section(paragraph("The model gave no code index for its latent vectors."));
  if (r.examples.count === 0) return section(paragraph("There is no example to start from."));
  const dim = b.dim;
  const positions = r.io.codeWidth / dim;
  const order = positionsByEntropy(indices, r.examples.count, positions, b.codes).slice(0, SWAP_ROWS);
  const usage = report.codebook.usage;
  const codes = Array.from({ length: b.codes }, (_, k) => k)
    .filter((k) => usage[k]! > 0)
    .sort((x, y) => usage[y]! - usage[x]! || x - y)
    .slice(0, SWAP_CODES);
  const width = r.io.codeWidth;
  const base = r.codes.subarray(0, width);
  const n = order.length * codes.length;
  const z = new Float32Array(n * width);
  order.forEach((p, row) =>
    codes.forEach((k, col) => {
      const at = (row * codes.length + col) * width;
      z.set(base, at);
      z.set(r.codebook!.subarray(k * dim, (k + 1) * dim), at + p.position * dim);
    }),
  );
  const images = rowsOf(await r.io.decode(z, n), n, elementsPerExample(r.ir.input.shape));
  const rows = order.map((_, i) => images.slice(i * codes.length, (i + 1) * codes.length));
  const [h, w] = b.latentShape.length === 3 ? [b.latentShape[0]!, b.latentShape[1]!] : [1, positions];
  const at = (p: number) => (b.latentShape.length === 3 ? `(${Math.floor(p / w)}, ${p % w})` : `${p}`);
  const rowNames = order
    .map((p) => `position ${at(p.position)} (first example's code ${indices[p.position]}, ${p.entropy.toFixed(2)} nats over the examples)`)
    .join("; ");
  const caption = `the first example's ${h}x${w} code map with one position's code replaced by each of the ${codes.length} most used codes (${codes.join(", ")}, most used first), decoded; one row per position, those whose code varies most over the evaluated examples first: ${rowNames}`;
  return section(imageFigure(pngDataUri(gridPng(rows, r.image, r.range)), caption, "code swaps"));
}

/** Positions by the entropy of the code they take over the examples, largest first (ties by position). */
function positionsByEntropy(assigned: Int32Array, count: number, positions: number, codes: number): { position: number; entropy: number }[] {
  return Array.from({ length: positions }, (_, p) => {
    const hist = new Map<number, number>();
    for (let i = 0; i < count; i++) hist.set(assigned[i * positions + p]!, (hist.get(assigned[i * positions + p]!) ?? 0) + 1);
    let entropy = 0;
    for (const c of hist.values()) entropy -= (c / count) * Math.log(c / count);
    return { position: p, entropy: codes > 0 ? entropy : 0 };
  }).sort((a, b) => b.entropy - a.entropy || a.position - b.position);
}
