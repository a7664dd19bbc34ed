import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { IrModel } from "../../ir/model.js";
import type { TypedCall } from "../typecheck.js";

/** A model that checked clean, with the calls it came from (for argument spans). */
export interface LintContext {
  readonly model: Omit<IrModel, "hash">;
  readonly bottleneckCall: TypedCall;
  readonly lossCalls: readonly TypedCall[];
}

export type ModelLint = (ctx: LintContext) => Diagnostic[];
