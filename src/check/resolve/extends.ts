import { diag, type Diagnostic, type Related } from "../../diagnostics/diagnostic.js";
import type { Model } from "../../syntax/ast.js";
import { didYouMean } from "../suggest.js";

/**
 * `extends` links: unknown bases (AE2005) and cycles (AE2006, once per
 * cycle, at the first of its models in the file). A model is usable when
 * its chain of bases ends without either.
 */
export class ExtendsGraph {
  private readonly bad = new Set<string>();

  constructor(private readonly models: ReadonlyMap<string, Model>, out: Diagnostic[]) {
    const names = [...models.keys()];
    for (const m of models.values()) {
      if (m.base !== null && !models.has(m.base.name)) {
        const hint = didYouMean(m.base.name, names.filter((n) => n !== m.name.name));
        out.push(diag("AE2005", `model '${m.name.name}' extends '${m.base.name}', which is not defined`, m.base.span, hint !== undefined ? { hint } : {}));
        this.bad.add(m.name.name);
      }
    }
    const reported = new Set<string>();
    for (const start of models.values()) {
      const path: Model[] = [];
      let m: Model | undefined = start;
      while (m !== undefined && m.base !== null && !path.includes(m)) {
        path.push(m);
        m = models.get(m.base.name);
      }
      if (m === undefined || !path.includes(m)) continue;
      const cycle = path.slice(path.indexOf(m));
      if (cycle.some((c) => reported.has(c.name.name))) continue;
      for (const c of cycle) reported.add(c.name.name);
      const first = cycle.reduce((a, b) => (a.span.start <= b.span.start ? a : b));
      const order = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))];
      const related: Related[] = order.slice(1).map((c) => ({ span: c.base!.span, message: `'${c.name.name}' extends '${c.base!.name}' here` }));
      const names = [...order.map((c) => c.name.name), first.name.name].join(" -> ");
      out.push(diag("AE2006", `model '${first.name.name}' extends itself (${names})`, first.base!.span, { related }));
    }
    for (const r of reported) this.bad.add(r);
  }

  /** Whether the model and every base up its chain are free of unknown bases and cycles. */
  usable(name: string): boolean {
    const seen = new Set<string>();
    let m = this.models.get(name);
    while (m !== undefined) {
      if (this.bad.has(m.name.name) || seen.has(m.name.name)) return false;
      seen.add(m.name.name);
      m = m.base === null ? undefined : this.models.get(m.base.name);
    }
    return true;
  }
}

