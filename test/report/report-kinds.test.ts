import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aespec } from "../cli/run-cli.js";
import { tempDir } from "../targets/tfjs/train/helpers.js";
import { screenshotPage } from "../support/chromium.js";
import { pngsOf, sectionsOf, svgCount } from "./report-html.js";

const TRAIN = "train { data: sprites(size: 16, count: 48) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 5 }";
const DENSE = (bottleneck: string, loss: string) => `model m {
  input: [16, 16, 1] in [0, 1]
  encoder { flatten dense(16) relu }
  bottleneck: ${bottleneck}
  decoder { dense(16) relu dense(256) sigmoid reshape([16, 16, 1]) }
  loss { ${loss} }
  ${TRAIN}
}
`;

/** Trains `spec` for 2 epochs and returns the sections of its report (saved as test-artifacts/SCREENSHOT.png when named). */
async function reportOf(spec: string, screenshot?: string): Promise<Map<string, string>> {
  const dir = tempDir("aespec-report-kind-");
  writeFileSync(join(dir, "m.aespec"), spec);
  const t = aespec(["train", "m.aespec", "--backend", "cpu", "--out", "run"], dir);
  expect(t.stderr).not.toMatch(/error/); // warnings (a wide latent for 48 examples) are fine
  expect(t.status).toBe(0);
  const r = aespec(["report", "run", "--backend", "cpu", "--iwae-k", "1", "--limit", "12"], dir);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  if (screenshot !== undefined) await screenshotPage(join(dir, "run/report.html"), screenshot);
  return sectionsOf(readFileSync(join(dir, "run/report.html"), "utf8"));
}

describe("aespec report, per kind of model", () => {
  it("VQ: a bar per code, samples from the used codes, codes swapped at the positions that vary most", async () => {
    const s = await reportOf(
      `model m {
  input: [16, 16, 1] in [0, 1]
  encoder { conv(8, kernel: 3, stride: 2) relu }
  bottleneck: vq(codes: 16, dim: 4)
  decoder { deconv(1, kernel: 3, stride: 2) sigmoid }
  loss { reconstruction(mse) commitment(beta: 0.25) }
  ${TRAIN}
}
`,
      "report-vqvae",
    );
    const codebook = s.get("codebook")!;
    expect(svgCount(codebook)).toBe(1);
    // one bar (a path in the bar mark's group) per code
    const bars = codebook.match(/<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/)![1]!;
    expect(bars.match(/<path /g)).toHaveLength(16);
    expect(s.get("samples")!).toMatch(/each position a code drawn uniformly from the \d+ codes the evaluated examples used/);
    expect(pngsOf(s.get("samples")!)).toHaveLength(1);
    // No unit sweeps (a unit of a code vector alone decodes to rows of one image): what the codes mean instead.
    // The latent is an 8x8 map of codes: 8 positions, a column per code used (at most 9).
    const swaps = s.get("traversals")!;
    expect(swaps).toContain("<h2>What the codes mean</h2>");
    expect(swaps).toMatch(/the first example&#39;s 8x8 code map with one position&#39;s code replaced by each of the (\d) most used codes/);
    expect(swaps).not.toContain("units of 256");
    const columns = Number(/each of the (\d) most used codes/.exec(swaps)![1]);
    const grid = pngsOf(swaps)[0]!;
    expect(grid.height).toBe(8 * 66 + 2);
    expect(grid.width).toBe(columns * 66 + 2);
    // Swapping a code changes the picture: within a row the tiles are not all one image.
    const tile = (row: number, col: number) => {
      const out: number[] = [];
      for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) out.push(grid.data[((2 + row * 66 + y) * grid.width + 2 + col * 66 + x) * 4]!);
      return out.join(",");
    };
    expect(new Set(Array.from({ length: columns }, (_, c) => tile(0, c))).size).toBeGreaterThan(1);
    // Captions that apply: a VQ decodes no Gaussian mean; every section applies, so none is listed as not shown.
    expect(s.get("reconstructions")!).toContain("their reconstructions");
    expect(s.get("reconstructions")!).not.toContain("Gaussian");
    expect(s.has("not-shown")).toBe(false);
  });

  it("ladder: KL per level among the curves, samples and traversals at the top level", async () => {
    const s = await reportOf(DENSE("ladder(skip: true) { gaussian(3) gaussian(2) }", "reconstruction(bernoulli) kl()"));
    expect(s.get("curves")!).toContain("kl per ladder level");
    expect(s.get("curves")!).toContain(">level 1<");
    expect(s.get("samples")!).toContain("draws of N(0, I) at the top level [2]");
    expect([...s.get("traversals")!.matchAll(/unit \d+ \(KL/g)]).toHaveLength(2);
    expect(s.get("reconstructions")!).toContain("(evaluation mode: every level passes its posterior mean)");
    expect(s.get("not-shown")!).toContain("codebook usage: the bottleneck is ladder, not vq");
  });

  it("a plain deterministic autoencoder has no prior to sample; an adversarial one does, with its discriminator's accuracy", async () => {
    const plain = await reportOf(DENSE("deterministic(3)", "reconstruction(bernoulli)"));
    expect(plain.get("samples")!).toContain("A plain deterministic autoencoder has no prior");
    expect(pngsOf(plain.get("samples")!)).toHaveLength(0);
    expect(plain.get("traversals")!).toMatch(/by variance, largest first/);

    const aae = await reportOf(DENSE("deterministic(3)", "reconstruction(bernoulli) adversarial(weight: 1, lr: 1e-3) { dense(8) relu dense(1) }"));
    expect(aae.get("samples")!).toContain("that the adversarial term matched the codes to");
    expect(pngsOf(aae.get("samples")!)).toHaveLength(1);
    expect(aae.get("curves")!).toContain("discriminator accuracy");
  });

  it("denoising and masked: the input, the corrupted input the encoder was given and its reconstruction, side by side", async () => {
    const noisy = DENSE("deterministic(3)", "reconstruction(bernoulli)").replace("  encoder", "  corrupt: gaussian(sigma: 0.3)\n  encoder");
    const rec = (await reportOf(noisy, "report-denoising")).get("reconstructions")!;
    expect(rec).toContain("From the corrupted input, as trained");
    expect(rec).toContain("Gaussian noise (sigma 0.3): what the encoder was given");
    const images = pngsOf(rec);
    expect(images).toHaveLength(5); // clean, corrupted, reconstructed from it; then clean and reconstructed again
    // The corrupted grid is not the clean one, and the reconstruction from it not the clean reconstruction.
    expect(Buffer.compare(images[1]!.data, images[0]!.data)).not.toBe(0);
    expect(Buffer.compare(images[2]!.data, images[4]!.data)).not.toBe(0);
    expect(Buffer.compare(images[0]!.data, images[3]!.data)).toBe(0);

    const masked = DENSE("deterministic(3)", "reconstruction(mse, on: masked)").replace("  encoder", "  corrupt: mask(patch: 4, ratio: 0.5)\n  encoder");
    const m = (await reportOf(masked)).get("reconstructions")!;
    expect(m).toContain("mask (8 of 16 patches of 4x4 hidden)");
    expect(pngsOf(m)).toHaveLength(5);
    // A model without a corruption shows only its two grids.
    expect(pngsOf((await reportOf(DENSE("deterministic(3)", "reconstruction(bernoulli)"))).get("reconstructions")!)).toHaveLength(2);
  });

  it("vector data: no pictures, a scatter of two code units", async () => {
    const s = await reportOf(`model lin {
  input: [12]
  bottleneck: deterministic(3)
  decoder { dense(12) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 12, rank: 3, count: 120) optimizer: adam(lr: 1e-2) batch: 32 epochs: 2 seed: 2 }
}
`);
    // The picture sections are left out and said so once, with the codebook's, in "Not shown".
    for (const id of ["reconstructions", "samples", "traversals", "interpolations", "codebook"]) expect(s.has(id), id).toBe(false);
    const page = [...s.values()].join("\n");
    expect(page.match(/not an image/g)).toHaveLength(1);
    expect(s.get("not-shown")!).toContain("reconstructions, prior samples, traversals and interpolations: the input is [12], not an image");
    expect(s.get("not-shown")!).toContain("codebook usage: the bottleneck is deterministic, not vq");
    expect(svgCount(s.get("codes")!)).toBe(1);
    expect(s.get("codes")!).toContain("the two units with the largest variance");
  });
});
