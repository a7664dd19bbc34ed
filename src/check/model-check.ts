import { diag, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Bottleneck } from "../ir/bottleneck.js";
import type { Corruption, Prior } from "../ir/losses.js";
import type { IrModel } from "../ir/model.js";
import { BOTTLENECK_BUILDERS } from "./bottleneck/builders.js";
import { costedOps, type CostedOp } from "../ir/costed-ops.js";
import { checkBudget } from "./budget.js";
import { CORRUPTION_BUILDERS } from "./corruption.js";
import { fmtNum, fmtShape } from "../diagnostics/format.js";
import { withHash } from "../ir/hash.js";
import { checkInput, type CheckedInput } from "./input.js";
import type { LetTable } from "./lets.js";
import { MODEL_LINTS } from "./lints/index.js";
import type { InputRangeFacts, LossContext } from "./losses/context.js";
import { checkLoss } from "./losses/section.js";
import { StackTrace, type PartialModel } from "./partial.js";
import type { BoundCall, ResolvedModel } from "./resolve/bound.js";
import { defaultLossTerms } from "./resolve/default-loss.js";
import { spatialChain } from "./shapes/spatial-chain.js";
import { runLayers, sameShape, type Stack } from "./shapes/stack.js";
import { checkTrain, type CheckedTrain } from "./train/settings.js";
import type { DataFiles } from "./train/data.js";
import { typeCall, type TypeContext, type TypedCall } from "./typecheck.js";
import type { BottleneckName, CorruptionName } from "./vocabulary/bottlenecks.js";

export interface ModelCheck {
  /** null when the model has errors (reported, or silent for a broken let already reported). */
  readonly ir: IrModel | null;
  readonly diagnostics: readonly Diagnostic[];
  /** With errors: the shapes as far as the checker got (for `aespec summary`). */
  readonly partial: PartialModel | null;
}

/**
 * Checks one resolved model: types every argument, computes every shape,
 * applies the loss and data rules, the budget, then the lints (only on a
 * model without errors, so a warning never rides on a mistake).
 * Each step runs only when what it reads checked clean: one mistake, one error.
 */
export function checkModel(m: ResolvedModel, lets: LetTable, files: DataFiles): ModelCheck {
  const out: Diagnostic[] = [];
  const ctx: TypeContext = { lets, out };
  let broken = m.broken.size > 0;
  const fail = () => {
    broken = true;
    return undefined;
  };

  for (const [field, keyword] of [
    ["input", "input"],
    ["bottleneck", "bottleneck"],
    ["decoder", "decoder"],
  ] as const) {
    if (m[field] === null && !m.broken.has(field)) {
      out.push(diag("AE2008", `model '${m.name}' has no ${keyword} section`, m.nameSpan, { hint: REQUIRED_HINT[field] }));
      broken = true;
    }
  }

  // Arguments first, each call on its own: every wrong argument is reported.
  const typed = (c: BoundCall | null): TypedCall | null | undefined => (c === null ? null : (typeCall(c, ctx) ?? fail()));
  const typedAll = (cs: readonly BoundCall[]): TypedCall[] | undefined => {
    const ts = cs.map((c) => typeCall(c, ctx));
    return ts.every((t) => t !== null) ? (ts as TypedCall[]) : fail();
  };
  const input = m.input === null ? undefined : (checkInput(m.input, lets, out) ?? fail());
  const corruptCall = typed(m.corrupt);
  const encoderCalls = typedAll(m.encoder?.layers ?? []);
  const bottleneckCall = m.bottleneck === null ? undefined : typed(m.bottleneck.call);
  const decoderCalls = typedAll(m.decoder?.layers ?? []);
  const priorCall = typed(m.prior);
  const lossBound = m.loss?.terms ?? defaultLossTerms(m.bottleneck?.call.name ?? null, m.nameSpan);
  // Every term that bound is typed, even beside a term that did not: each term's mistakes are reported in one run.
  const lossTyped = lossBound.map((c) => typeCall(c, ctx));
  const lossOk = lossTyped.filter((t): t is TypedCall => t !== null);
  const lossCalls = !m.broken.has("loss") && lossOk.length === lossTyped.length ? lossOk : fail();
  const hasBrokenSetting = [...m.broken].some((p) => p.startsWith("train."));
  const train = checkTrain(m.train, m.nameSpan, files, ctx, hasBrokenSetting) ?? fail();

  // Shapes, from the input through the decoder.
  const ok = <T>(x: T | null | undefined): x is T => x !== null && x !== undefined;
  const corruption = ok(corruptCall) && ok(input) ? buildCorruption(corruptCall, input, out, fail) : corruptCall === null ? null : undefined;
  const encoderTrace = new StackTrace();
  const decoderTrace = new StackTrace();
  const runsEncoder = ok(input) && ok(encoderCalls) && !m.broken.has("encoder");
  const encoder = runsEncoder ? (runLayers(encoderCalls, input.shape, out, encoderTrace) ?? fail()) : undefined;
  const bottleneck = ok(encoder) && ok(bottleneckCall) ? buildBottleneck(bottleneckCall, encoder, out, fail) : undefined;
  const runsDecoder = ok(bottleneck) && ok(decoderCalls) && !m.broken.has("decoder");
  const decoder = runsDecoder ? (runLayers(decoderCalls, bottleneck.latentShape, out, decoderTrace) ?? fail()) : undefined;
  const partial = (): PartialModel => ({
    name: m.name,
    input: ok(input) ? { shape: input.shape, range: input.range } : null,
    encoder: runsEncoder ? encoderTrace.done() : null,
    bottleneck: ok(bottleneck) ? bottleneck : ok(encoder) && ok(bottleneckCall) ? { failed: bottleneckCall.span } : null,
    decoder: runsDecoder ? decoderTrace.done() : null,
  });
  if (ok(decoder) && ok(input) && ok(bottleneck) && m.decoder !== null && !sameShape(decoder.outShape, input.shape)) {
    out.push(decoderMismatch(decoder, input, bottleneck, m.decoder.layers, m.decoder.keyword, encoder!));
    broken = true;
  }

  // Data against the input.
  if (ok(train) && ok(input)) checkDataAgainstInput(train, input, out, fail);

  // Loss terms and what they require.
  const range = rangeFacts(input, train);
  const lossCtx: LossContext = {
    bottleneck: ok(bottleneck) ? { kind: bottleneck.kind, latentShape: bottleneck.latentShape } : undefined,
    range,
    corruption: corruption === undefined ? undefined : { kind: corruption?.kind ?? null },
    out,
  };
  // The rules of the terms that typed run too; the section's completeness (AE2407) only when every term did.
  const losses = ok(lossCalls)
    ? (checkLoss(lossCalls, m.loss?.keyword ?? null, m.nameSpan, true, lossCtx) ?? fail())
    : (checkLoss(lossOk, null, m.nameSpan, false, lossCtx), undefined);
  const prior: Prior | undefined = priorCall === undefined ? undefined : { kind: "normal", span: priorCall?.span ?? m.nameSpan };

  if (broken || hasErrors(out)) return { ir: null, diagnostics: out, partial: partial() };
  if (!ok(input) || !ok(encoder) || !ok(bottleneck) || !ok(decoder) || !ok(losses) || !ok(train) || !ok(bottleneckCall) || !ok(lossCalls)) {
    throw new Error(`internal: model '${m.name}' has no errors but a part is missing`);
  }
  if (corruption === undefined || prior === undefined) throw new Error("internal: corruption or prior missing");

  // The discriminator runs in every training step: it counts for the budget and the totals.
  const ops = costedOps({ encoder: encoder.layers, bottleneck, decoder: decoder.layers, losses });
  const budget = checkBudget(ops, train.config.batch);
  if (budget.length > 0) return { ir: null, diagnostics: [...out, ...budget], partial: partial() };

  const sum = (f: (o: CostedOp) => number) => ops.reduce((n, o) => n + f(o), 0);
  const model: Omit<IrModel, "hash"> = {
    kind: "Model",
    name: m.name,
    input: { shape: input.shape, range: input.range ?? train.config.dataFacts?.range ?? null, span: input.shapeSpan },
    corruption,
    encoder: encoder.layers,
    bottleneck,
    decoder: decoder.layers,
    prior,
    losses,
    train: train.config,
    totals: { parameters: sum((o) => o.parameters), state: sum((o) => o.state), activationBytes: sum((o) => o.activationBytes) },
    span: m.span,
  };
  const warnings = MODEL_LINTS.flatMap((lint) => lint({ model, bottleneckCall, lossCalls }));
  return { ir: withHash(model), diagnostics: [...out, ...warnings], partial: null };
}

const REQUIRED_HINT = {
  input: "e.g. input: [28, 28, 1] in [0, 1]",
  bottleneck: "e.g. bottleneck: gaussian(16)",
  decoder: "e.g. decoder { dense(784) sigmoid reshape([28, 28, 1]) }",
} as const;

function buildCorruption(c: TypedCall, input: CheckedInput, out: Diagnostic[], fail: () => undefined): Corruption | undefined {
  const r = CORRUPTION_BUILDERS[c.name as CorruptionName](c, input.shape);
  if ("error" in r) {
    out.push(r.error);
    return fail();
  }
  return r.corruption;
}

function buildBottleneck(c: TypedCall, encoder: Stack, out: Diagnostic[], fail: () => undefined): Bottleneck | undefined {
  const r = BOTTLENECK_BUILDERS[c.name as BottleneckName](c, encoder.outShape);
  if ("error" in r) {
    out.push(r.error);
    return fail();
  }
  return r.bottleneck;
}

/** AE2301 at the decoder's last layer (its keyword when empty), pointing at the input and at what made the shape. */
function decoderMismatch(decoder: Stack, input: CheckedInput, bottleneck: Bottleneck, layers: readonly BoundCall[], keyword: Span, encoder: Stack): Diagnostic {
  const lastLayer = layers[layers.length - 1];
  const at = lastLayer?.span ?? keyword;
  const producer = decoder.producer ?? bottleneck.span;
  const related = [{ span: input.shapeSpan, message: "input declared here" }];
  if (producer.start !== at.start || producer.file !== at.file) related.push({ span: producer, message: "shape produced here" });
  const elements = input.shape.reduce((a, b) => a * b, 1);
  // Both maps of the same depth, other sizes: the strides of the convolutions do not undo each other.
  const sizesDiffer = input.shape.length === 3 && decoder.outShape.length === 3 && decoder.outShape[2] === input.shape[2];
  const chain = sizesDiffer ? spatialChain(encoder.layers, decoder.layers) : null;
  if (chain?.uneven != null) related.push(chain.uneven);
  const hint =
    input.shape.length === 3 && decoder.outShape.length === 1
      ? `end the decoder with dense(${elements}) and reshape(${fmtShape(input.shape)})`
      : chain !== null
        ? `the spatial sizes go ${chain.text}: make each stride divide its input's size (e.g. an input padded to a multiple of the total stride, a stride-1 layer instead, or padding: valid with a kernel that gives the size back)`
        : bottleneck.latentShape.length === 3 && decoder.outShape.length === 3
          ? `the latent is the map ${fmtShape(bottleneck.latentShape)} (a bottleneck acts on the last axis); for a vector latent, ` +
            `end the encoder with flatten and the decoder with dense(${elements}) reshape(${fmtShape(input.shape)})`
          : "the decoder must give back the input's shape";
  return diag("AE2301", `decoder gives ${fmtShape(decoder.outShape)}, input is ${fmtShape(input.shape)}`, at, { related, hint });
}

/** AE2501 (the data's shape is not the input's) and AE2502 (the data reach outside the declared range). */
function checkDataAgainstInput(train: CheckedTrain, input: CheckedInput, out: Diagnostic[], fail: () => undefined): void {
  const facts = train.config.dataFacts;
  const data = train.config.data;
  if (facts === null || data === null) return;
  if (facts.shape !== null && !sameShape(facts.shape, input.shape)) {
    out.push(
      diag("AE2501", `the data are ${fmtShape(facts.shape)}, the input is ${fmtShape(input.shape)}`, train.spans.get("data") ?? data.span, {
        related: [{ span: input.shapeSpan, message: "input declared here" }],
      }),
    );
    fail();
  }
  const declared = input.range;
  if (facts.range !== null && declared !== null && (facts.range[0] < declared[0] || facts.range[1] > declared[1])) {
    out.push(
      diag(
        "AE2502",
        `the data lie in [${fmtNum(facts.range[0])}, ${fmtNum(facts.range[1])}], outside the declared input range [${fmtNum(declared[0])}, ${fmtNum(declared[1])}]`,
        train.spans.get("data") ?? data.span,
        { related: [{ span: input.rangeSpan!, message: "range declared here" }] },
      ),
    );
  }
}

/** The input's range for loss rules: declared, else the data's; undefined when a part it needs is broken. */
function rangeFacts(input: CheckedInput | null | undefined, train: CheckedTrain | undefined): InputRangeFacts | undefined {
  if (input === null || input === undefined) return undefined;
  if (input.range !== null) return { range: input.range, span: input.rangeSpan, source: "declared" };
  if (train === undefined) return undefined;
  const r = train.config.dataFacts?.range ?? null;
  if (r === null) return { range: null, span: null, source: "unknown" };
  return { range: r, span: train.spans.get("data") ?? null, source: "data" };
}
