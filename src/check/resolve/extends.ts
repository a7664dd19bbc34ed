import { diag, type Diagnostic, type Related } from "../../diagnostics/diagnostic.js";
import type { Model } from "../../syntax/ast.js";
import { suggestion } from "../suggest.js";

/**
 * `extends` links: unknown bases (AE2005) and cycles (AE2006, once per
 * cycle, at the first of its models in the file). A model is usable when
 * its chain of bases ends without either.
 */
export class ExtendsGraph {
  private readonly bad = new Set<string>();

  constructor(models: ReadonlyMap<string, Model>, out: Diagnostic[]) {
    const names = [...models.keys()];
    for (const m of models.values()) {
      if (m.base !== null && !models.has(m.base.name)) {
        const close = suggestion(
          m.base.name,
          names.filter((n) => n !== m.name.name),
          m.base.span,
        );
        out.push(diag("AE2005", `model '${m.name.name}' extends '${m.base.name}', which is not defined`, m.base.span, close ?? {}));
        this.bad.add(m.name.name);
      }
    }
    // Each model's chain is walked once: a walk stops at a model already classified, so the whole pass is linear.
    const reported = new Set<string>();
    const status = new Map<string, "usable" | "unusable">();
    for (const start of models.values()) {
      if (status.has(start.name.name)) continue;
      const path: Model[] = [];
      const onPath = new Map<string, number>();
      let m: Model | undefined = start;
      let ends: "usable" | "unusable" = "usable";
      for (;;) {
        if (m === undefined) {
          ends = "unusable"; // an unknown base, reported above
          break;
        }
        const known = status.get(m.name.name);
        if (known !== undefined) {
          ends = known;
          break;
        }
        const at = onPath.get(m.name.name);
        if (at !== undefined) {
          this.reportCycle(path.slice(at), reported, out);
          ends = "unusable";
          break;
        }
        onPath.set(m.name.name, path.length);
        path.push(m);
        if (this.bad.has(m.name.name)) {
          ends = "unusable";
          break;
        }
        if (m.base === null) break;
        m = models.get(m.base.name);
      }
      for (const p of path) status.set(p.name.name, ends);
    }
    for (const r of reported) this.bad.add(r);
    this.status = status;
  }

  private readonly status: ReadonlyMap<string, "usable" | "unusable">;

  private reportCycle(cycle: readonly Model[], reported: Set<string>, out: Diagnostic[]): void {
    if (cycle.some((c) => reported.has(c.name.name))) return;
    for (const c of cycle) reported.add(c.name.name);
    const first = cycle.reduce((a, b) => (a.span.start <= b.span.start ? a : b));
    const order = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))];
    const related: Related[] = order.slice(1).map((c) => ({ span: c.base!.span, message: `'${c.name.name}' extends '${c.base!.name}' here` }));
    const names = [...order.map((c) => c.name.name), first.name.name].join(" -> ");
    out.push(diag("AE2006", `model '${first.name.name}' extends itself (${names})`, first.base!.span, { related }));
  }

  /** Whether the model and every base up its chain are free of unknown bases and cycles. */
  usable(name: string): boolean {
    return this.status.get(name) === "usable";
  }
}
