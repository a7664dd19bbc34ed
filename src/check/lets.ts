import { diag, type Diagnostic, type Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Call, Ident, Let } from "../syntax/ast.js";
import { evaluate, type ExprContext, type LetValue } from "./evaluate.js";
import { ALL_WORDS } from "./vocabulary/index.js";

type State = { readonly kind: "visiting"; readonly ref: Span | null } | { readonly kind: "done"; readonly value: LetValue | null };

/**
 * The file's lets, evaluated once in any order. The first definition of a name
 * wins (a second is AE2002); a let reached again while it is being evaluated
 * closes a cycle (AE2004, reported once, at the let the evaluation started from).
 * Broken lets have the value null and are never reported again where used.
 */
export class LetTable {
  private readonly defs = new Map<string, Let>();
  private readonly state = new Map<string, State>();
  /** Names being evaluated, innermost last, with the reference that led to each. */
  private readonly stack: { name: string; ref: Span | null }[] = [];

  constructor(
    lets: readonly Let[],
    private readonly out: Diagnostic[],
  ) {
    for (const l of lets) {
      const first = this.defs.get(l.name.name);
      if (first !== undefined) {
        out.push(
          diag("AE2002", `let '${l.name.name}' is already defined`, l.name.span, {
            related: [{ span: first.name.span, message: "first defined here" }],
          }),
        );
      } else this.defs.set(l.name.name, l);
    }
    for (const name of this.defs.keys()) this.evaluateFrom(name);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }

  /** For use sites: the value of a let (null if broken), undefined if `ref` names no let. */
  lookup(ref: Ident): LetValue | null | undefined {
    const s = this.state.get(ref.name);
    if (s === undefined) return undefined;
    if (s.kind !== "done") throw new Error(`internal: let '${ref.name}' looked up while being evaluated`);
    return s.value;
  }

  /** An expression context that resolves names against these lets. */
  context(out: Diagnostic[], words: readonly string[], label: string | null): ExprContext {
    return { resolveLet: (r) => this.lookup(r), letNames: () => this.names(), words, out, label };
  }

  /**
   * Evaluates `root` and every let it depends on, dependencies first, with an
   * explicit stack instead of recursion: a chain of thousands of lets
   * (`let a2 = a1 + 1` ...) cannot exhaust the call stack.
   */
  private evaluateFrom(root: string): void {
    if (this.state.has(root)) return;
    const frames: { name: string; deps: readonly Ident[]; next: number }[] = [];
    const enter = (name: string, ref: Span | null) => {
      this.state.set(name, { kind: "visiting", ref });
      this.stack.push({ name, ref });
      frames.push({ name, deps: letReferences(this.defs.get(name)!.value).filter((r) => this.defs.has(r.name)), next: 0 });
    };
    enter(root, null);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.next < f.deps.length) {
        const dep = f.deps[f.next++]!;
        const s = this.state.get(dep.name);
        if (s?.kind === "visiting") this.reportCycle(dep.name, dep.span);
        else if (s === undefined) enter(dep.name, dep.span);
        continue;
      }
      frames.pop();
      const value = this.evaluateBody(this.defs.get(f.name)!);
      this.stack.pop();
      this.state.set(f.name, { kind: "done", value });
    }
  }

  private evaluateBody(def: Let): LetValue | null {
    const ctx: ExprContext = {
      // Dependencies are done (evaluateFrom); one still being evaluated closes a cycle, already reported.
      resolveLet: (r) => {
        if (!this.defs.has(r.name)) return undefined;
        const s = this.state.get(r.name);
        if (s?.kind === "done") return s.value;
        if (s?.kind === "visiting") return null;
        throw new Error(`internal: let '${r.name}' is used before it was evaluated (letReferences missed it)`);
      },
      letNames: () => this.names(),
      words: ALL_WORDS,
      out: this.out,
      label: null,
    };
    const v = evaluate(def.value, ctx);
    if (v === null) return null;
    if (v.kind === "number") return { kind: "number", value: v.value };
    // A word or a call: kept as written, it takes its meaning where it is used.
    return { kind: "expr", expr: this.target(def.value) };
  }

  /** The call a word-valued let finally names (`let a = b`, `let b = relu` gives relu). */
  private target(expr: Let["value"]): Call {
    if (expr.kind !== "Call") throw new Error("internal: a non-numeric let must be a name or a call");
    if (expr.args === null && this.defs.has(expr.callee.name)) {
      const v = this.state.get(expr.callee.name);
      if (v?.kind === "done" && v.value?.kind === "expr") return v.value.expr;
    }
    return expr;
  }

  private reportCycle(name: string, closingRef: Span | null): void {
    const from = this.stack.findIndex((e) => e.name === name);
    const cycle = this.stack.slice(from);
    const names = [...cycle.map((e) => e.name), name];
    const refs = [...cycle.slice(1).map((e) => e.ref), closingRef];
    const related: Related[] = refs.flatMap((r, i) => (r === null ? [] : [{ span: r, message: `'${names[i]}' refers to '${names[i + 1]}' here` }]));
    const def = this.defs.get(name)!;
    this.out.push(diag("AE2004", `let '${name}' is defined in terms of itself (${names.join(" -> ")})`, def.name.span, { related }));
  }
}

/** The names an expression resolves as lets: each argument-less call (`width`, `relu`), in order. */
function letReferences(v: Let["value"]): Ident[] {
  const out: Ident[] = [];
  const todo: Let["value"][] = [v];
  while (todo.length > 0) {
    const e = todo.pop()!;
    switch (e.kind) {
      case "Call":
        if (e.args === null) out.push(e.callee);
        break;
      case "Neg":
        todo.push(e.operand);
        break;
      case "Binary":
        todo.push(e.right, e.left);
        break;
      case "Number":
        break;
    }
  }
  return out;
}
