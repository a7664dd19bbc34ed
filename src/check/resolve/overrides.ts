import { diag } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Value } from "../../syntax/ast.js";
import { didYouMean } from "../suggest.js";
import { signatureOf } from "../vocabulary/index.js";
import { TRAIN_SETTINGS } from "../vocabulary/train.js";
import { T, type CallVocabName } from "../vocabulary/types.js";
import { bindValue, type BindContext } from "./bind.js";
import type { BoundCall, ResolvedModel, SettingSite } from "./bound.js";
import { defaultLossTerms } from "./default-loss.js";

/** One `--set path=value`, parsed (see check.ts's parseOverride). */
export interface Override {
  readonly path: readonly string[];
  readonly pathSpan: Span;
  readonly value: Value;
  readonly span: Span;
}

/**
 * Applies `--set` overrides in order. Paths: `train.SETTING`,
 * `train.SETTING.ARG`, `bottleneck`, `bottleneck.ARG`, `corrupt`,
 * `corrupt.ARG`, `prior`, `prior.ARG`, `loss.TERM.ARG`. A path that names
 * nothing in this model is AE2202. Values are bound like written ones, with
 * `--set PATH` in their messages; their types are checked with the model.
 */
export function applyOverrides(model: ResolvedModel, overrides: readonly Override[], ctx: BindContext): ResolvedModel {
  return overrides.reduce((m, o) => applyOne(m, o, ctx), model);
}

const ROOTS = ["train", "bottleneck", "corrupt", "prior", "loss"] as const;

function applyOne(m: ResolvedModel, o: Override, ctx: BindContext): ResolvedModel {
  const label = `--set ${o.path.join(".")}`;
  const fail = (why: string, hint?: string): ResolvedModel => {
    ctx.out.push(diag("AE2202", `${label}: ${why}`, o.pathSpan, hint !== undefined ? { hint } : {}));
    return m;
  };
  const [root, ...rest] = o.path;
  const modelName = `model '${m.name}'`;
  switch (root) {
    case "train":
      return setTrain(m, o, rest, label, ctx, fail);
    case "bottleneck": {
      if (m.broken.has("bottleneck")) return m;
      if (m.bottleneck === null && rest.length > 0) return fail(`${modelName} has no bottleneck`, "set it whole: --set bottleneck=gaussian(16)");
      const call = withCall(m.bottleneck?.call ?? null, "bottleneck", rest, o, label, ctx, fail);
      return call === null ? m : { ...m, bottleneck: { keyword: m.bottleneck?.keyword ?? o.pathSpan, call } };
    }
    case "corrupt":
    case "prior": {
      if (m.broken.has(root)) return m;
      const vocab: CallVocabName = root === "corrupt" ? "corruption" : "prior";
      const current = root === "corrupt" ? m.corrupt : (m.prior ?? priorDefault(m));
      if (current === null && rest.length > 0) return fail(`${modelName} has no corruption`, "set it whole: --set corrupt=gaussian(sigma: 0.1)");
      const call = withCall(current, vocab, rest, o, label, ctx, fail);
      return call === null ? m : root === "corrupt" ? { ...m, corrupt: call } : { ...m, prior: call };
    }
    case "loss":
      return setLoss(m, o, rest, label, ctx, fail);
    default:
      return fail(`no such setting '${root}'`, didYouMean(root ?? "", ROOTS) ?? `paths start with ${ROOTS.join(", ")}`);
  }
}

type Fail = (why: string, hint?: string) => ResolvedModel;

/** `X=call` replaces the call whole; `X.ARG=value` sets one of its arguments. null: failed (reported). */
function withCall(
  current: BoundCall | null,
  vocab: CallVocabName,
  rest: readonly string[],
  o: Override,
  label: string,
  ctx: BindContext,
  fail: Fail,
): BoundCall | null {
  if (rest.length === 0) {
    const given = bindValue(o.value, T.call(vocab), ctx, label, label);
    return given?.kind === "call" ? given.call : null;
  }
  if (rest.length > 1 || current === null) {
    fail(`too long a path: name one argument, e.g. ${o.path.slice(0, 2).join(".")}`);
    return null;
  }
  return setArg(current, rest[0]!, o, label, ctx, fail);
}

function setArg(call: BoundCall, arg: string, o: Override, label: string, ctx: BindContext, fail: Fail): BoundCall | null {
  const param = call.signature.params.find((p) => p.name === arg);
  if (param === undefined) {
    const names = call.signature.params.map((p) => p.name);
    fail(
      `${call.name} has no argument '${arg}'`,
      didYouMean(arg, names) ?? (names.length === 0 ? `${call.name} takes no arguments` : `${call.name} takes: ${names.join(", ")}`),
    );
    return null;
  }
  const given = bindValue(o.value, param.type, ctx, label, label);
  if (given === null) return null;
  return { ...call, args: new Map([...call.args, [arg, given]]) };
}

function setTrain(m: ResolvedModel, o: Override, rest: readonly string[], label: string, ctx: BindContext, fail: Fail): ResolvedModel {
  const [name, arg, ...more] = rest;
  if (name === undefined) return fail("name a setting, e.g. train.epochs");
  const param = TRAIN_SETTINGS.find((p) => p.name === name);
  const names = TRAIN_SETTINGS.map((p) => p.name);
  if (param === undefined) return fail(`no setting '${name}'`, didYouMean(name, names) ?? `settings: ${names.join(", ")}`);
  if (m.broken.has(`train.${name}`)) return m;
  if (more.length > 0) return fail("too long a path");
  const settings = new Map(m.train?.settings ?? []);
  const put = (site: SettingSite): ResolvedModel => {
    settings.set(name, site);
    return { ...m, train: { keyword: m.train?.keyword ?? null, settings } };
  };
  const current = settings.get(name);
  if (arg === undefined) {
    const given = bindValue(o.value, param.type, ctx, label, label);
    return given === null ? m : put({ nameSpan: o.pathSpan, given });
  }
  if (param.type.kind !== "call") return fail(`train.${name} is a number; it has no arguments`);
  let call: BoundCall | null = current?.given.kind === "call" ? current.given.call : null;
  if (current?.given.kind === "path") return fail(`train.${name} is a file; it has no arguments`);
  if (call === null) {
    const d = param.default;
    if (d.kind !== "value" || d.value.t !== "call") return fail(`model '${m.name}' has no ${name} setting`, `set it whole: --set train.${name}=...`);
    call = emptyCall(param.type.vocab, d.value.name, o.pathSpan);
  }
  const updated = setArg(call, arg, o, label, ctx, fail);
  if (updated === null) return m;
  return put({ nameSpan: current?.nameSpan ?? o.pathSpan, given: { kind: "call", call: updated, span: current?.given.span ?? o.span, label: null } });
}

function setLoss(m: ResolvedModel, o: Override, rest: readonly string[], label: string, ctx: BindContext, fail: Fail): ResolvedModel {
  if (m.broken.has("loss") || (m.loss === null && m.broken.has("bottleneck"))) return m;
  const [termName, arg, ...more] = rest;
  if (termName === undefined || arg === undefined || more.length > 0) return fail("name a loss term and its argument, e.g. loss.kl.beta");
  const loss = m.loss ?? { keyword: null, terms: defaultLossTerms(m.bottleneck?.call.name ?? null, m.nameSpan) };
  const index = loss.terms.findIndex((t) => t.name === termName);
  if (index < 0) {
    const present = loss.terms.map((t) => t.name);
    return fail(`model '${m.name}' has no loss term '${termName}'`, didYouMean(termName, present) ?? `its terms: ${present.join(", ")}`);
  }
  const updated = setArg(loss.terms[index]!, arg, o, label, ctx, fail);
  if (updated === null) return m;
  return { ...m, loss: { ...loss, terms: loss.terms.map((t, i) => (i === index ? updated : t)) } };
}

function priorDefault(m: ResolvedModel): BoundCall {
  return emptyCall("prior", "normal", m.nameSpan);
}

function emptyCall(vocab: CallVocabName, name: string, at: Span): BoundCall {
  const signature = signatureOf(vocab, name);
  if (signature === undefined) throw new Error(`internal: no ${vocab} '${name}'`);
  return { vocab, name, signature, nameSpan: at, span: at, args: new Map(), block: null, label: null };
}
