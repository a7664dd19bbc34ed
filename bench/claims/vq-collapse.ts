/** Claim 6: a VQ codebook collapses (dead codes) unless it is tended (restarts). */
import { aespec, commandLine, compared, table, type Claim } from "./claim.js";

const EVAL = ["--iwae-k", "1"];

export const vqCollapse: Claim = {
  name: "vq",
  title: "a VQ codebook collapses unless it is tended",
  statement:
    "Codes that no encoder output is nearest to get no gradient and stay dead: usage entropy and perplexity stay far below the codebook's size; restarting dead codes on encoder outputs revives them. The commitment weight moves the encoder towards its codes.",
  run: async () => {
    const out = "claims-runs/vq";
    const sweep = [
      "sweep",
      "bench/claims/claims.aespec",
      "--model",
      "vq_mnist",
      "--set",
      "loss.commitment.beta=0.25,1,4",
      "--set",
      "bottleneck.restart=false,true",
    ];
    const args = [...sweep, "--eval", ...EVAL, "--out", out];
    await aespec(args);
    const c = await compared([out], EVAL);
    const rows = c.runs.map((r) => [
      r.values["loss.commitment.beta"]!,
      r.values["bottleneck.restart"]!,
      `${r.metrics["codebook.used"]} / 256`,
      r.metrics["codebook.dead"]!,
      r.metrics["codebook.perplexity"]!,
      r.metrics["codebook.entropy"]!,
      r.metrics["reconstruction.mse"]!,
    ]);
    const dead = (beta: string, restart: string) =>
      c.runs.find((r) => r.values["loss.commitment.beta"] === beta && r.values["bottleneck.restart"] === restart)!.metrics["codebook.dead"]!;
    const betas = ["0.25", "1", "4"];
    const revived = betas.every((b) => dead(b, "true") < dead(b, "false"));
    return {
      commands: [commandLine(args), commandLine(["compare", out, "-o", "vq.html", "--metric", "codebook.perplexity", "--metric", "codebook.dead", ...EVAL])],
      body: `${table(["commitment", "restart", "codes used", "dead", "perplexity", "entropy (nats)", "reconstruction MSE"], rows)}\n\nvq(codes: 256, dim: 64) learnt by gradient (no EMA), conv encoder on the first 20,000 MNIST images, 2 epochs; usage over the 49 latent vectors of each of the ${c.runs[0]!.eval.examples} test images.`,
      verdict: revived ? "shown" : "not shown",
      why: `Dead codes without restarts ${betas.map((b) => dead(b, "false")).join(", ")}, with restarts ${betas.map((b) => dead(b, "true")).join(", ")} (commitment ${betas.join(", ")}).`,
    };
  },
};
