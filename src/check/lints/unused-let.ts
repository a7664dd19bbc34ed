import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { File, Value } from "../../syntax/ast.js";
import { visitFile, visitValue, type Visitor } from "../../syntax/visit.js";

/**
 * AE2705: a let no value refers to. Syntactic, over the whole file, so it
 * does not depend on which models were checked. A name in a value position
 * (an argument, a setting, a dimension, a let's body) refers to a let; a
 * layer or term name does not. A let's mention of itself does not count;
 * a `--set` value's does.
 */
export function unusedLets(file: File, overrideValues: readonly Value[] = []): Diagnostic[] {
  const used = new Map<string, Set<string | null>>();
  const notes: Visitor = {
    reference(name, ctx) {
      const s = used.get(name.name) ?? new Set();
      s.add(ctx.inLet?.name.name ?? null);
      used.set(name.name, s);
    },
  };
  visitFile(file, notes);
  for (const v of overrideValues) visitValue(v, notes);
  const reported = new Set<string>();
  const out: Diagnostic[] = [];
  for (const item of file.items) {
    if (item.kind !== "Let" || reported.has(item.name.name)) continue;
    reported.add(item.name.name);
    const from = used.get(item.name.name);
    if (from === undefined || [...from].every((f) => f === item.name.name)) {
      out.push(diag("AE2705", `let '${item.name.name}' is never used`, item.name.span));
    }
  }
  return out;
}
