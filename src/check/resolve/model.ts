import { diag } from "../../diagnostics/diagnostic.js";
import { SECTION_KEYWORD, type Model, type Section, type SectionKind } from "../../syntax/ast.js";
import type { BindContext } from "./bind.js";
import type { BrokenPart, ResolvedModel } from "./bound.js";
import { SECTION_FIELD, SECTION_RESOLVERS, partOf, type SectionFields } from "./sections.js";

const EMPTY: SectionFields = {
  input: null,
  corrupt: null,
  encoder: null,
  bottleneck: null,
  decoder: null,
  prior: null,
  loss: null,
  train: null,
};

/**
 * A model's sections on top of its base's (already resolved): each section
 * written here replaces the base's whole. A section written twice is AE2007;
 * the first one counts.
 */
export function resolveModel(model: Model, base: ResolvedModel | null, ctx: BindContext): ResolvedModel {
  const from = base ?? EMPTY;
  const fields: { -readonly [K in keyof SectionFields]: SectionFields[K] } = {
    input: from.input,
    corrupt: from.corrupt,
    encoder: from.encoder,
    bottleneck: from.bottleneck,
    decoder: from.decoder,
    prior: from.prior,
    loss: from.loss,
    train: from.train,
  };
  let broken = new Set<BrokenPart>([...(base?.broken ?? [])].filter((p) => p !== "sections"));
  const seen = new Map<SectionKind, Section>();
  for (const s of model.sections) {
    const first = seen.get(s.kind);
    if (first !== undefined) {
      ctx.out.push(
        diag("AE2007", `section '${SECTION_KEYWORD[s.kind]}' appears twice in model '${model.name.name}'`, s.keyword, {
          related: [{ span: first.keyword, message: "first one here" }],
        }),
      );
      broken.add("sections");
      continue;
    }
    seen.set(s.kind, s);
    const patch = (SECTION_RESOLVERS[s.kind] as (x: Section, c: BindContext) => ReturnType<(typeof SECTION_RESOLVERS)[SectionKind]>)(s, ctx);
    broken = new Set([...broken].filter((p) => !partOf(s.kind, p)));
    for (const p of patch.broken) broken.add(p);
    // A replacing section starts from nothing: the base's value of this field goes.
    clearField(fields, s.kind);
    Object.assign(fields, patch.fields);
  }
  return { name: model.name.name, nameSpan: model.name.span, span: model.span, ...fields, broken };
}

function clearField(fields: { -readonly [K in keyof SectionFields]: SectionFields[K] }, kind: SectionKind): void {
  fields[SECTION_FIELD[kind]] = null;
}
