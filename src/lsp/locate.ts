import type { Span } from "../diagnostics/span.js";
import type { Arg, Call, File, Ident, Let, Model, Section, Setting } from "../syntax/ast.js";
import { visitFile, type CallRole, type VisitContext } from "../syntax/visit.js";
import { touches } from "./positions.js";

/** The name under the cursor and what it stands for, found through the AST visitor. */
export type Found =
  /** A call's name (a layer, bottleneck, loss term, ... or a vocabulary call in a value). */
  | { readonly kind: "call"; readonly at: Span; readonly call: Call; readonly role: CallRole; readonly ctx: VisitContext }
  /** A bare name in a value: a let, a word, or a vocabulary call without arguments (`data: mnist`). */
  | { readonly kind: "reference"; readonly at: Span; readonly name: Ident; readonly call: Call; readonly ctx: VisitContext }
  | { readonly kind: "let"; readonly at: Span; readonly let: Let }
  | { readonly kind: "model"; readonly at: Span; readonly model: Model }
  | { readonly kind: "base"; readonly at: Span; readonly name: Ident; readonly model: Model }
  | { readonly kind: "setting"; readonly at: Span; readonly setting: Setting; readonly ctx: VisitContext }
  | { readonly kind: "argName"; readonly at: Span; readonly arg: Arg; readonly call: Call; readonly ctx: VisitContext }
  | { readonly kind: "section"; readonly at: Span; readonly section: Section; readonly ctx: VisitContext };

/** The innermost name at an offset (a cursor at a name's end is on it), or null. */
export function locate(file: File, offset: number): Found | null {
  let best: Found | null = null;
  const offer = (f: Found) => {
    if (!touches(f.at, offset)) return;
    // Prefer the narrower name.
    if (best === null || f.at.end - f.at.start < best.at.end - best.at.start) best = f;
  };
  visitFile(file, {
    model: (m) => offer({ kind: "model", at: m.name.span, model: m }),
    base: (name, model) => offer({ kind: "base", at: name.span, name, model }),
    let: (l) => offer({ kind: "let", at: l.name.span, let: l }),
    section: (section, ctx) => offer({ kind: "section", at: section.keyword, section, ctx }),
    setting: (setting, ctx) => offer({ kind: "setting", at: setting.name.span, setting, ctx }),
    call: (call, role, ctx) =>
      offer(
        role === "value" && call.args === null
          ? { kind: "reference", at: call.callee.span, name: call.callee, call, ctx }
          : { kind: "call", at: call.callee.span, call, role, ctx },
      ),
    arg: (arg, call, ctx) => {
      if (arg.name !== null) offer({ kind: "argName", at: arg.name.span, arg, call, ctx });
    },
  });
  return best;
}
