/** Errors that stop a run once it has started. */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { IrModel } from "../ir/model.js";

export interface Divergence {
  /** The loss term kind, or "total" when only the sum overflowed. */
  readonly culprit: string;
  /** 1-based. */
  readonly batch: number;
  readonly batches: number;
  readonly validation: boolean;
  readonly value: number;
}

/** A NaN or infinite loss: named by term and batch, located at the term; the last good checkpoint stays. */
export function divergedError(ir: IrModel, d: Divergence, epochsDone: number, runDir: string | null): Diagnostic {
  const term = ir.losses.find((t) => t.kind === d.culprit) ?? ir.losses[0]!;
  const what = d.culprit === "total" ? "the total loss" : `loss term '${d.culprit}'`;
  const where = `${d.validation ? "validation " : ""}batch ${d.batch} of ${d.batches}`;
  const kept =
    runDir === null ? "" : epochsDone > 0 ? `the checkpoint of epoch ${epochsDone} is kept; ` : "no epoch was completed, so no checkpoint was written; ";
  return diag("AE3103", `${what} is ${String(d.value)} at epoch ${epochsDone + 1}, ${where}; training stopped`, term.span, {
    related: [{ span: ir.train.optimizer.span, message: "the optimizer: a lower learning rate often cures this" }],
    hint: `${kept}check the data's range and the learning rate`,
  });
}

export function mismatchedCheckpoint(outDir: string, why: string): Diagnostic {
  return diag(
    "AE3105",
    `cannot resume from '${outDir}': its checkpoint does not fit the model: ${why}`,
    { file: outDir, start: 0, end: 0 },
    {
      hint: "train without --resume to start a new run",
    },
  );
}
