import { diag } from "../../diagnostics/diagnostic.js";
import { product } from "../../diagnostics/format.js";
import type { ModelLint } from "./context.js";

const REGULARISERS = new Set(["kl", "contractive", "mmd", "adversarial"]);

/**
 * AE2701: a deterministic latent at least as large as the input can learn
 * the identity map unless something stops it: corruption, dropout in the
 * encoder, or a regularising loss term.
 */
export const identityRisk: ModelLint = ({ model }) => {
  const b = model.bottleneck;
  if (b.kind !== "deterministic") return [];
  const latent = product(b.latentShape);
  const input = product(model.input.shape);
  if (latent < input) return [];
  if (model.corruption !== null) return [];
  if (model.encoder.some((l) => l.kind === "dropout")) return [];
  if (model.losses.some((t) => REGULARISERS.has(t.kind))) return [];
  return [
    diag("AE2701", `${latent} >= ${input} input features and nothing discourages the identity map (no corruption, no regulariser, no noise)`, b.span, {
      hint: "narrow the bottleneck, or add corrupt: gaussian(sigma: 0.1), a dropout layer, or contractive(weight: 1e-3)",
    }),
  ];
};
