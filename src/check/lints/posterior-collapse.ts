import { diag } from "../../diagnostics/diagnostic.js";
import { fmtNum } from "../../diagnostics/format.js";
import type { ModelLint } from "./context.js";

/** Above this KL weight, without free bits, the posterior is likely to collapse onto the prior. */
export const COLLAPSE_BETA = 8;

/** AE2703 (beta_vae's beta 4 stays clean). */
export const posteriorCollapse: ModelLint = ({ model, lossCalls }) => {
  const kl = model.losses.find((t) => t.kind === "kl");
  if (kl?.kind !== "kl" || kl.beta <= COLLAPSE_BETA || kl.freeBits !== 0) return [];
  const call = lossCalls.find((c) => c.name === "kl");
  return [
    diag(
      "AE2703",
      `kl beta ${fmtNum(kl.beta)} with free_bits 0: posterior collapse is likely (the latent ignores the input)`,
      call?.args.spanOf("beta") ?? kl.span,
      { hint: "lower beta, use warmup, or set free_bits (e.g. 0.5)" },
    ),
  ];
};
