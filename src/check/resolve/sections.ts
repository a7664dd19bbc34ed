import { diag } from "../../diagnostics/diagnostic.js";
import { SECTION_KEYWORD, type Section, type SectionKind, type Setting } from "../../syntax/ast.js";
import { suggestion } from "../suggest.js";
import { TRAIN_SETTINGS } from "../vocabulary/train.js";
import { bindCall, bindValue, type BindContext } from "./bind.js";
import type { BoundCall, BrokenPart, ResolvedModel, SettingSite } from "./bound.js";

/** The fields of a resolved model that sections fill. */
export type SectionFields = Omit<ResolvedModel, "name" | "nameSpan" | "span" | "broken">;

/** What resolving one section gives: the field it replaces, and what in it failed to bind. */
interface SectionPatch {
  readonly fields: Partial<SectionFields>;
  readonly broken: readonly BrokenPart[];
}

type Resolver<K extends SectionKind> = (s: Extract<Section, { kind: K }>, ctx: BindContext) => SectionPatch;

const one = (call: BoundCall | null, part: BrokenPart, set: (c: BoundCall) => Partial<SectionFields>): SectionPatch =>
  call === null ? { fields: {}, broken: [part] } : { fields: set(call), broken: [] };

/** One resolver per section kind: binds the section's calls and settings. */
export const SECTION_RESOLVERS: { readonly [K in SectionKind]: Resolver<K> } = {
  InputSection: (s) => ({ fields: { input: s }, broken: [] }),
  CorruptSection: (s, ctx) => one(bindCall(s.call, "corruption", ctx, null, null), "corrupt", (c) => ({ corrupt: c })),
  EncoderSection: (s, ctx) => {
    const bound = s.layers.map((l) => bindCall(l, "layer", ctx, null, null));
    const ok = bound.filter((b): b is BoundCall => b !== null);
    return { fields: { encoder: { keyword: s.keyword, span: s.span, layers: ok } }, broken: ok.length < bound.length ? ["encoder"] : [] };
  },
  BottleneckSection: (s, ctx) =>
    one(bindCall(s.call, "bottleneck", ctx, s.block, null), "bottleneck", (c) => ({ bottleneck: { keyword: s.keyword, call: c } })),
  DecoderSection: (s, ctx) => {
    const bound = s.layers.map((l) => bindCall(l, "layer", ctx, null, null));
    const ok = bound.filter((b): b is BoundCall => b !== null);
    return { fields: { decoder: { keyword: s.keyword, span: s.span, layers: ok } }, broken: ok.length < bound.length ? ["decoder"] : [] };
  },
  PriorSection: (s, ctx) => one(bindCall(s.call, "prior", ctx, null, null), "prior", (c) => ({ prior: c })),
  LossSection: (s, ctx) => {
    const bound = s.terms.map((t) => bindCall(t.call, "loss", ctx, t.block, null));
    const ok = bound.filter((b): b is BoundCall => b !== null);
    return { fields: { loss: { keyword: s.keyword, terms: ok } }, broken: ok.length < bound.length ? ["loss"] : [] };
  },
  TrainSection: (s, ctx) => {
    const settings = new Map<string, SettingSite>();
    const firsts = new Map<string, Setting>();
    const broken: BrokenPart[] = [];
    for (const setting of s.settings) {
      const name = setting.name.name;
      const param = TRAIN_SETTINGS.find((p) => p.name === name);
      if (param === undefined) {
        const names = TRAIN_SETTINGS.map((p) => p.name);
        const close = suggestion(name, names, setting.name.span);
        const hint = close?.hint ?? `settings: ${names.join(", ")}`;
        ctx.out.push(diag("AE2101", `unknown setting '${name}'`, setting.name.span, { hint, fixes: close?.fixes ?? [] }));
        broken.push(`train.${name}`);
        continue;
      }
      const first = firsts.get(name);
      if (first !== undefined) {
        ctx.out.push(
          diag("AE2109", `setting '${name}' given twice`, setting.name.span, {
            related: [{ span: first.name.span, message: "first given here" }],
          }),
        );
        broken.push(`train.${name}`);
        continue;
      }
      firsts.set(name, setting);
      const given = bindValue(setting.value, param.type, ctx, null, `train ${name}`);
      if (given === null) broken.push(`train.${name}`);
      else settings.set(name, { nameSpan: setting.name.span, given });
    }
    return { fields: { train: { keyword: s.keyword, settings } }, broken };
  },
};

/** The field each section kind fills (its keyword); also the name its failures are filed under. */
export const SECTION_FIELD: { readonly [K in SectionKind]: keyof SectionFields } = SECTION_KEYWORD;

/** Whether a broken part belongs to a section (so a replacing section clears it). */
export function partOf(kind: SectionKind, p: BrokenPart): boolean {
  const key = SECTION_FIELD[kind];
  return p === key || (key === "train" && p.startsWith("train."));
}
