import type { LossName } from "../check/vocabulary/losses.js";

/**
 * Each loss term's definition in one line, for hover: the definitions both
 * training targets implement (every term a batch mean of a per-example sum;
 * docs/language.md, Losses).
 */
export const LOSS_FORMULAS = {
  reconstruction:
    "−log p(x | x̂) summed over the features, mean over the batch: mse Σ(x − x̂)², bernoulli −Σ[x log x̂ + (1 − x) log(1 − x̂)], gaussian Σ[½(x − x̂)² + ½ log 2π]; on: masked sums over the hidden features only",
  kl: "beta · Σ_units max(free_bits, mean_batch KL(q(z|x) ‖ N(0, I))), weighted by min(1, epoch / warmup) in the objective",
  contractive: "weight · ‖∂z/∂x‖²_F, the squared Frobenius norm of the encoder's Jacobian (Rifai et al. 2011)",
  mmd: "weight · MMD²(codes, N(0, I)), the unbiased estimate with an imq or rbf kernel summed over 7 scales (Tolstikhin et al. 2018)",
  adversarial:
    "weight · mean softplus(−D(z)): the codes fool a discriminator D trained by its own Adam at lr to tell N(0, I) samples from codes (Makhzani et al. 2016)",
  commitment: "beta · mean ‖z_e − sg(e)‖², plus ‖sg(z_e) − e‖² when the codebook learns by gradient (van den Oord et al. 2017)",
} as const satisfies Record<LossName, string>;

export function lossFormula(name: string): string | undefined {
  return Object.hasOwn(LOSS_FORMULAS, name) ? LOSS_FORMULAS[name as LossName] : undefined;
}
