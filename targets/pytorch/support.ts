/**
 * What the PyTorch target cannot train yet, each located at its span (AE3102):
 * `aespec check --target pytorch` says so, and `train` refuses before anything runs.
 */
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { BottleneckKind } from "../../src/ir/bottleneck.js";
import type { LossKind } from "../../src/ir/losses.js";
import type { IrModel } from "../../src/ir/model.js";

/** Null: generated and trained; a string: why not yet. */
const BOTTLENECKS: { readonly [K in BottleneckKind]: string | null } = {
  deterministic: null,
  gaussian: null,
  vq: null,
  ladder: "a ladder bottleneck",
};

const TERMS: { readonly [K in LossKind]: (ir: IrModel) => string | null } = {
  reconstruction: () => null,
  kl: (ir) => (ir.bottleneck.kind === "gaussian" ? null : `kl with a ${ir.bottleneck.kind} bottleneck`),
  commitment: (ir) => (ir.bottleneck.kind === "vq" ? null : `commitment with a ${ir.bottleneck.kind} bottleneck`),
  mmd: (ir) => (ir.train.batch >= 2 ? null : `mmd with batch ${ir.train.batch} (it needs 2 examples per batch)`),
  // Any encoder autograd differentiates, but not batchnorm: its training statistics make each code depend on the whole batch.
  contractive: (ir) => (ir.encoder.some((l) => l.kind === "batchnorm") ? "the contractive term with batchnorm in the encoder" : null),
  adversarial: () => "the adversarial term",
};

const notYet = (what: string, span: Diagnostic["span"]) =>
  diag("AE3102", `${what} is not supported by the PyTorch target yet`, span, { hint: "train it with `--target tfjs`, or remove it to train with PyTorch" });

export function unsupportedByPytorch(ir: IrModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const b = BOTTLENECKS[ir.bottleneck.kind];
  if (b !== null) out.push(notYet(b, ir.bottleneck.span));
  for (const t of ir.losses) {
    const why = TERMS[t.kind](ir);
    if (why !== null) out.push(notYet(why, t.span));
  }
  return out;
}
