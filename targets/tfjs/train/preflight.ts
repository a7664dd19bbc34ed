/**
 * Refusals that come before anything is loaded or built: parts of the model
 * and loss terms this target cannot train yet, a model too large for the
 * backend in use, and a spec without data.
 */
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";
import { unsupportedFeatures } from "../model/support.js";
import { unsupportedTerms } from "./losses/index.js";
import { memoryError } from "./memory-budget.js";

export function preflight(ir: IrModel): Diagnostic[] {
  const out = [
    ...unsupportedFeatures(ir).map((u) => diag("AE3102", u.message, u.span, { hint: "`aespec check` and `aespec summary` still work on this spec" })),
    ...unsupportedTerms(ir),
  ];
  const memory = memoryError(ir);
  if (memory !== null) out.push(memory);
  if (ir.train.data === null) {
    out.push(
      diag("AE3101", `model '${ir.name}' names no training data`, ir.span, {
        hint: 'add `data: ...` to its train section (mnist, sprites(size: 28), lowrank(dim: 64, rank: 8), "file.npy", ...)',
      }),
    );
  }
  return out;
}
