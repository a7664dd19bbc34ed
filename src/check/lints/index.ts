import type { ModelLint } from "./context.js";
import { deadCodes } from "./dead-codes.js";
import { identityRisk } from "./identity-risk.js";
import { memorisation } from "./memorisation.js";
import { posteriorCollapse } from "./posterior-collapse.js";

/** Lints of a model that checked clean (warnings only). Unused lets are a file lint: unused-let.ts. */
export const MODEL_LINTS: readonly ModelLint[] = [identityRisk, memorisation, posteriorCollapse, deadCodes];

export type { LintContext, ModelLint } from "./context.js";
