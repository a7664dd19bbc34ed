import { diag } from "../../diagnostics/diagnostic.js";
import type { ModelLint } from "./context.js";

/** AE2704: a codebook larger than the latent vectors of a batch leaves codes that are never the nearest. */
export const deadCodes: ModelLint = ({ model, bottleneckCall }) => {
  const b = model.bottleneck;
  if (b.kind !== "vq") return [];
  const perBatch = model.train.batch * b.vectorsPerExample;
  if (b.codes <= perBatch) return [];
  return [
    diag(
      "AE2704",
      `${b.codes} codes but a batch gives only ${perBatch} latent vectors (batch ${model.train.batch} x ${b.vectorsPerExample} per example): dead codes are likely`,
      bottleneckCall.args.spanOf("codes"),
      { hint: "use fewer codes or a larger batch (restart: true re-seeds dead codes)" },
    ),
  ];
};
