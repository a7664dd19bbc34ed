import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Arg, Call, Value } from "../../syntax/ast.js";
import type { LetTable } from "../lets.js";
import { suggestion } from "../suggest.js";
import { VOCABULARIES, entryNames, signatureOf } from "../vocabulary/index.js";
import type { CallVocabName, Param, ParamType, Signature } from "../vocabulary/types.js";
import type { BoundCall, Given } from "./bound.js";

export interface BindContext {
  readonly lets: LetTable;
  readonly out: Diagnostic[];
}

const prefix = (label: string | null) => (label !== null ? `${label}: ` : "");

/**
 * Looks a call up in its vocabulary and binds its arguments to parameter
 * names: positional ones in order, then keyword ones. Reports every problem
 * of the call (AE2101-AE2106, AE2110) and returns null if there was one.
 * Missing required arguments are left to typecheck.ts: a `--set` may supply them.
 */
export function bindCall(call: Call, vocab: CallVocabName, ctx: BindContext, block: readonly Call[] | null, label: string | null): BoundCall | null {
  const name = call.callee.name;
  const signature = signatureOf(vocab, name);
  if (signature === undefined) {
    ctx.out.push(unknownEntry(call, vocab, label));
    return null;
  }
  const args = bindArgs(call, signature, ctx, label);
  const boundBlock = bindBlock(call, signature, block, ctx, label);
  if (args === null || boundBlock === undefined) return null;
  return { vocab, name, signature, nameSpan: call.callee.span, span: call.span, args, block: boundBlock, label };
}

function unknownEntry(call: Call, vocab: CallVocabName, label: string | null): Diagnostic {
  const name = call.callee.name;
  const noun = VOCABULARIES[vocab].noun;
  const elsewhere = (Object.keys(VOCABULARIES) as CallVocabName[]).find((v) => v !== vocab && signatureOf(v, name) !== undefined);
  const close = suggestion(name, entryNames(vocab), call.callee.span);
  const hint =
    close?.hint ??
    (elsewhere !== undefined
      ? `'${name}' is ${article(VOCABULARIES[elsewhere].noun)}, not ${article(noun)}; ${noun}s: ${entryNames(vocab).join(", ")}`
      : `${noun}s: ${entryNames(vocab).join(", ")}`);
  return diag("AE2101", `${prefix(label)}unknown ${noun} '${name}'`, call.callee.span, { hint, fixes: close?.fixes ?? [] });
}

function bindArgs(call: Call, signature: Signature, ctx: BindContext, label: string | null): Map<string, Given> | null {
  const name = call.callee.name;
  const params = signature.params;
  const args = new Map<string, Given>();
  const firstSpan = new Map<string, Span>();
  let ok = true;
  let positional = 0;
  let sawKeyword: Arg | null = null;
  for (const arg of call.args ?? []) {
    let param: Param | undefined;
    if (arg.name === null) {
      if (sawKeyword !== null) {
        ctx.out.push(
          diag("AE2103", `${prefix(label)}positional argument after a keyword argument`, arg.span, {
            related: [{ span: sawKeyword.span, message: "keyword argument here" }],
            hint: "positional arguments come first; or name this one",
          }),
        );
        ok = false;
        continue;
      }
      param = params[positional++];
      if (param === undefined) {
        const n = params.length;
        const takes = n === 0 ? "takes no arguments" : `takes ${n} argument${n === 1 ? "" : "s"} (${params.map((p) => p.name).join(", ")})`;
        ctx.out.push(diag("AE2106", `${prefix(label)}${name} ${takes}`, arg.span));
        ok = false;
        continue;
      }
    } else {
      sawKeyword = arg;
      param = params.find((p) => p.name === arg.name!.name);
      if (param === undefined) {
        const names = params.map((p) => p.name);
        const close = suggestion(arg.name.name, names, arg.name.span);
        const hint = close?.hint ?? (names.length === 0 ? `${name} takes no arguments` : `${name} takes: ${names.join(", ")}`);
        ctx.out.push(diag("AE2102", `${prefix(label)}${name} has no argument '${arg.name.name}'`, arg.name.span, { hint, fixes: close?.fixes ?? [] }));
        ok = false;
        continue;
      }
    }
    const first = firstSpan.get(param.name);
    if (first !== undefined) {
      ctx.out.push(
        diag("AE2104", `${prefix(label)}argument '${param.name}' of ${name} given twice`, arg.span, {
          related: [{ span: first, message: "first given here" }],
        }),
      );
      ok = false;
      continue;
    }
    firstSpan.set(param.name, arg.span);
    const given = bindValue(arg.value, param.type, ctx, label, `${name} ${param.name}`);
    if (given === null) ok = false;
    else args.set(param.name, given);
  }
  return ok ? args : null;
}

/** undefined: the block is wrong (reported); null: no block, as required. */
function bindBlock(
  call: Call,
  signature: Signature,
  block: readonly Call[] | null,
  ctx: BindContext,
  label: string | null,
): readonly BoundCall[] | null | undefined {
  const spec = signature.block;
  const name = call.callee.name;
  if (spec.kind === "none") {
    if (block === null) return null;
    ctx.out.push(diag("AE2110", `${prefix(label)}${name} takes no { ... } block`, block[0]?.span ?? call.span));
    return undefined;
  }
  if (block === null || block.length < spec.min) {
    const what = block === null ? `needs ${spec.what}` : `has an empty block; it needs ${spec.what}`;
    ctx.out.push(diag("AE2110", `${prefix(label)}${name} ${what}`, call.span, { hint: `e.g. ${spec.example}` }));
    return undefined;
  }
  const bound = block.map((c) => bindCall(c, spec.vocab, ctx, null, label));
  return bound.every((b) => b !== null) ? (bound as BoundCall[]) : undefined;
}

/**
 * A value for a parameter or setting. Call-valued slots are bound now (so
 * `--set` can reach their arguments); other values stay as written.
 */
export function bindValue(value: Value, type: ParamType, ctx: BindContext, label: string | null, subject: string): Given | null {
  if (type.kind !== "call") return { kind: "value", value, span: value.span, label };
  if (value.kind === "String" && type.path === true) return { kind: "path", path: value.value, span: value.span, label };
  let call: Call | null = value.kind === "Call" ? value : null;
  if (call !== null && call.args === null) {
    const v = ctx.lets.lookup(call.callee);
    if (v === null) return null;
    if (v !== undefined) call = v.kind === "expr" ? v.expr : null;
  }
  if (call === null) {
    const noun = VOCABULARIES[type.vocab].noun;
    const got = value.kind === "Shape" ? "a shape" : value.kind === "String" ? "a string" : "a number";
    const expected = type.path === true ? `${article(noun)} or a file path` : `${article(noun)} (${entryNames(type.vocab).join(", ")})`;
    ctx.out.push(diag("AE2107", `${prefix(label) || subject + ": "}expected ${expected}, got ${got}`, value.span));
    return null;
  }
  const bound = bindCall(call, type.vocab, ctx, null, label);
  return bound === null ? null : { kind: "call", call: bound, span: value.span, label };
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}
