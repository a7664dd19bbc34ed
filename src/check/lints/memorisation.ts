import { diag } from "../../diagnostics/diagnostic.js";
import { product } from "../../diagnostics/format.js";
import type { ModelLint } from "./context.js";

/** AE2702: a latent with as many numbers per example as there are training examples can store each one. */
export const memorisation: ModelLint = ({ model }) => {
  const examples = model.train.dataFacts?.trainSize ?? null;
  if (examples === null) return [];
  const latent = product(model.bottleneck.latentShape);
  if (latent < examples) return [];
  return [
    diag("AE2702", `the latent has ${latent} numbers per example and the training set ${examples} examples: the model can memorise it`, model.bottleneck.span, {
      hint: "narrow the bottleneck, or train on more data",
    }),
  ];
};
