import { VOCABULARIES } from "../check/vocabulary/index.js";
import { TRAIN_SETTINGS } from "../check/vocabulary/train.js";
import type { CallVocabName, Param, ParamDefault, Signature } from "../check/vocabulary/types.js";
import { fmtNum } from "../diagnostics/format.js";
import type { Call } from "../syntax/ast.js";
import type { CallRole, VisitContext } from "../syntax/visit.js";

/** The checker's vocabularies as an editor shows them: what a call's name means where it stands, its signature, its defaults. */

const ROLE_VOCAB: { readonly [R in CallRole]: CallVocabName | null } = {
  layer: "layer",
  bottleneck: "bottleneck",
  ladderLevel: "ladderLevel",
  corruption: "corruption",
  prior: "prior",
  loss: "loss",
  value: null,
};

/** The vocabulary a call's name is looked up in; a setting's value is its setting's (`optimizer: adam`). */
export function vocabOf(role: CallRole, ctx: VisitContext): CallVocabName | null {
  const direct = ROLE_VOCAB[role];
  if (direct !== null) return direct;
  if (ctx.setting === null || ctx.owner !== null) return null;
  return settingVocab(ctx.setting.name.name);
}

/** The vocabulary of a setting's calls; none for `test`, which takes a file path only (the checker types it as data to say so). */
export function settingVocab(setting: string): CallVocabName | null {
  const param = settingParam(setting);
  return param?.type.kind === "call" && param.name !== "test" ? param.type.vocab : null;
}

export function settingParam(setting: string): Param | undefined {
  return TRAIN_SETTINGS.find((p) => p.name === setting);
}

export function defaultText(d: ParamDefault): string | null {
  if (d.kind !== "value") return null;
  const v = d.value;
  switch (v.t) {
    case "number":
      return fmtNum(v.v);
    case "bool":
      return String(v.v);
    case "enum":
      return v.v;
    case "call":
      return v.name;
  }
}

/** `conv(filters, kernel: 3, stride: 1, padding: same)`: required names bare, optional ones with their default (`ema: none`). */
export function signatureText(name: string, s: Signature): string {
  const params = s.params.map((p) => {
    if (p.default.kind === "required") return p.name;
    return `${p.name}: ${defaultText(p.default) ?? "none"}`;
  });
  const block = s.block.kind === "required" ? " { ... }" : "";
  return (params.length > 0 ? `${name}(${params.join(", ")})` : name) + block;
}

/** The parameters a call leaves to their defaults, with the values they take. */
export function defaultsThatApply(call: Call, s: Signature): { name: string; value: string }[] {
  const given = new Set<string>();
  (call.args ?? []).forEach((a, i) => given.add(a.name?.name ?? s.params[i]?.name ?? ""));
  return s.params.flatMap((p) => {
    const value = defaultText(p.default);
    return given.has(p.name) || value === null ? [] : [{ name: p.name, value }];
  });
}

export const nounOf = (vocab: CallVocabName): string => VOCABULARIES[vocab].noun;
