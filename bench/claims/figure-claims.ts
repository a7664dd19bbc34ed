/**
 * Claims 5, 7 and 8, measured by the variant figures of `npm run figures`
 * (bench/figures, in this process; their printed tables quoted as they are),
 * and for 8 also eval's interpolation path of the plain and the contractive
 * autoencoder, through the command line.
 */
import type { Figure } from "../figures/run.js";
import { aespec, commandLine, compared, table, type Claim, type ClaimResult } from "./claim.js";

/** What a figure prints, as one text block. */
async function printed(load: () => Promise<Figure>): Promise<string> {
  const fig = await load();
  const lines: string[] = [fig.title];
  const log = console.log;
  console.log = (...parts: unknown[]) => {
    const line = parts.map(String).join(" ");
    log(line);
    // Epoch-by-epoch progress is not the figure.
    if (!/ epoch \d+\/\d+: | trained in /.test(line)) lines.push(line);
  };
  try {
    await fig.run();
  } finally {
    console.log = log;
  }
  return "```text\n" + lines.join("\n") + "\n```";
}

export const aggregatePosterior: Claim = {
  name: "aggregate",
  title: "AAE and WAE regularise the aggregate posterior",
  statement:
    "An adversarial (AAE) or MMD (WAE) term matches the aggregate of the codes to the prior, where a plain autoencoder's codes lie anywhere: their distance to N(0, I) is far smaller at a comparable reconstruction.",
  run: async (): Promise<ClaimResult> => ({
    commands: ["npm run figures -- prior-match"],
    body: await printed(() => import("../figures/prior-match.js").then((m) => m.figure())),
    verdict: "see the table",
    why: "The figure's table: each model's codes against the prior (|mean|, ||Cov - I||, MMD^2) beside its test reconstruction; prior draws are the floor. The per-example KL's active units of a VAE at matched reconstruction are not in it yet.",
  }),
};

export const maskedCode: Claim = {
  name: "mae",
  title: "a masked autoencoder's code ignores the hidden pixels",
  statement: "A masked autoencoder's encoder never sees the hidden patches: its code's sensitivity to a hidden pixel is exactly zero, to a visible one not.",
  run: async (): Promise<ClaimResult> => ({
    commands: ["npm run figures -- masked"],
    body: await printed(() => import("../figures/masked.js").then((m) => m.figure())),
    verdict: "not shown",
    why: "The figure measures what the masked model predicts for the hidden patches against the mean patch and the plain AE, not the encoder's sensitivity to hidden pixels: that measurement is not written yet.",
  }),
};

const EVAL = ["--iwae-k", "1"];
/** How much shorter the contractive code's interpolation path must be to count, one seed each. */
const SHORTER = 0.05;

export const denoisingContractive: Claim = {
  name: "denoise-contract",
  title: "denoising and contractive codes",
  statement:
    "A denoising autoencoder reconstructs clean images from corruptions it was not trained on better than a plain one; a contractive code is smoother, so a path between two codes decodes to a shorter, straighter path of images.",
  run: async (): Promise<ClaimResult> => {
    const robustness = await printed(() => import("../figures/denoising.js").then((m) => m.figure()));
    const dirs: string[] = [];
    const commands = ["npm run figures -- denoising"];
    for (const model of ["deep_ae", "contractive"]) {
      const out = `claims-runs/interpolation-${model}`;
      const sweep = ["sweep", "specs/deep.aespec", "--model", model, "--seeds", "1", "--eval", ...EVAL, "--out", out, "--", "--set", "train.epochs=3"];
      await aespec(sweep);
      commands.push(commandLine(sweep));
      dirs.push(out);
    }
    const c = await compared(dirs, EVAL);
    const rows = c.runs.map((r, i) => [["deep_ae", "contractive"][i]!, r.metrics["interpolation.ratio"]!, r.metrics["reconstruction.mse"]!]);
    const [plain, contractive] = c.runs.map((r) => r.metrics["interpolation.ratio"]!);
    return {
      commands,
      body: `Robustness (the denoising figure):\n\n${robustness}\n\nInterpolation (aespec eval, test pairs, decoded path length over the straight pixel path; 3 epochs each):\n\n${table(["model", "path / straight", "reconstruction MSE"], rows)}`,
      verdict: contractive! < plain! * (1 - SHORTER) ? "shown" : "not shown",
      why: `Interpolation path over straight: contractive ${contractive!.toFixed(3)}, plain ${plain!.toFixed(3)} (${(100 * (1 - contractive! / plain!)).toFixed(1)}% shorter; the criterion is ${100 * SHORTER}% on one seed each); robustness to the unseen corruption: the figure's salt-and-pepper rows.`,
    };
  },
};
