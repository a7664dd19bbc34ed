import type { Hover } from "vscode-languageserver";
import { MarkupKind } from "vscode-languageserver";
import { count, describeBottleneck, describeData, describeLayer } from "../cli/describe.js";
import { signatureOf } from "../check/vocabulary/index.js";
import { fmtBytes, fmtNum, fmtShape } from "../diagnostics/format.js";
import type { Span } from "../diagnostics/span.js";
import type { DataFacts } from "../ir/train.js";
import type { Call } from "../syntax/ast.js";
import { printExpr } from "../syntax/print-expr.js";
import type { Analysis } from "./analysis.js";
import { locate, type Found } from "./locate.js";
import { lossFormula } from "./loss-formulas.js";
import { opAt, type Op } from "./model-ops.js";
import { rangeOf } from "./positions.js";
import { defaultsThatApply, defaultText, nounOf, settingParam, signatureText, vocabOf } from "./vocabulary.js";

/** Hover: what the checker knows of the name under the cursor, in Markdown. */
export function hover(a: Analysis, offset: number): Hover | null {
  const found = locate(a.ast, offset);
  if (found === null) return null;
  const text = describe(a, found);
  if (text === null) return null;
  return { contents: { kind: MarkupKind.Markdown, value: text }, range: rangeOf(a.source, found.at) };
}

function describe(a: Analysis, f: Found): string | null {
  switch (f.kind) {
    case "call":
      return callHover(a, f.call, vocabOf(f.role, f.ctx), f.ctx.model?.name.name ?? null);
    case "reference":
      return a.lets.names().includes(f.name.name) ? letHover(a, f.name.name) : callHover(a, f.call, vocabOf("value", f.ctx), f.ctx.model?.name.name ?? null);
    case "let":
      return letHover(a, f.let.name.name);
    case "model":
    case "base":
      return modelHover(a, f.kind === "model" ? f.model.name.name : f.name.name);
    case "setting": {
      const p = settingParam(f.setting.name.name);
      if (p === undefined) return null;
      const d = defaultText(p.default);
      return `**${p.name}**: train setting${d !== null ? `, default \`${d}\`` : p.default.kind === "optional" ? ", optional" : ""}`;
    }
    case "argName":
    case "section":
      return null;
  }
}

function callHover(a: Analysis, call: Call, vocab: ReturnType<typeof vocabOf>, modelName: string | null): string | null {
  if (vocab === null) return null;
  const name = call.callee.name;
  const s = signatureOf(vocab, name);
  if (s === undefined) return null;
  const lines = [`**${name}**: ${nounOf(vocab)}`, "```aespec\n" + signatureText(name, s) + "\n```"];
  const op = modelName !== null ? opAt(a, modelName, call.span) : null;
  if (op !== null) lines.push(opLine(op));
  const ladder = modelName !== null ? a.models.get(modelName)?.bottleneck : undefined;
  if (vocab === "ladderLevel" && ladder?.kind === "ladder") {
    const i = ladder.levels.findIndex((l) => l.span.start === call.span.start);
    if (i >= 0) lines.push(`level ${i + 1} of ${ladder.levels.length} (bottom first): ${ladder.levels[i]!.units} units`);
  }
  if (vocab === "loss") {
    const formula = lossFormula(name);
    if (formula !== undefined) lines.push(formula);
  }
  if (vocab === "data") {
    const facts = dataFactsAt(a, call.span);
    if (facts !== null) lines.push(factsLine(facts.facts, facts.described));
  }
  const defaults = defaultsThatApply(call, s);
  if (defaults.length > 0) lines.push(`defaults that apply: ${defaults.map((d) => `\`${d.name}: ${d.value}\``).join(", ")}`);
  return lines.join("\n\n");
}

function opLine(op: Op): string {
  if ("layer" in op) {
    const l = op.layer;
    const state = l.state > 0 ? `, ${count(l.state)} state` : "";
    return `${op.part} · \`${describeLayer(l)}\`: ${fmtShape(l.inShape)} → ${fmtShape(l.outShape)} · ${count(l.parameters)} parameters${state} · ${fmtBytes(l.activationBytes)} of activations per example`;
  }
  const b = op.bottleneck;
  return `bottleneck · \`${describeBottleneck(b)}\`: ${fmtShape(b.inShape)} → latent ${fmtShape(b.latentShape)} · ${count(b.parameters)} parameters · ${fmtBytes(b.activationBytes)} of activations per example`;
}

/** The facts of the data set written at a span, from any model that reads it. */
function dataFactsAt(a: Analysis, span: Span): { facts: DataFacts; described: string } | null {
  for (const m of a.models.values()) {
    const d = m.train.data;
    if (d !== null && m.train.dataFacts !== null && d.span.start === span.start && d.span.end === span.end) {
      return { facts: m.train.dataFacts, described: describeData(d) };
    }
  }
  return null;
}

function factsLine(f: DataFacts, described: string): string {
  const parts = [`\`${described}\``];
  if (f.shape !== null) parts.push(`examples ${fmtShape(f.shape)}`);
  if (f.range !== null) parts.push(`values in [${fmtNum(f.range[0])}, ${fmtNum(f.range[1])}]`);
  if (f.trainSize !== null) parts.push(`${count(f.trainSize)} training examples`);
  if (f.testSize !== null) parts.push(`${count(f.testSize)} test examples`);
  parts.push(f.labels ? "with labels" : "no labels");
  return parts.join(" · ");
}

function letHover(a: Analysis, name: string): string | null {
  const def = a.ast.items.find((i) => i.kind === "Let" && i.name.name === name);
  if (def === undefined || def.kind !== "Let") return null;
  const v = a.lets.lookup(def.name);
  const written = printExpr(def.value);
  if (v === null || v === undefined) return `**let ${name}** = \`${written}\` (does not evaluate)`;
  const value = v.kind === "number" ? fmtNum(v.value) : printExpr(v.expr);
  return value === written ? `**let ${name}** = \`${value}\`` : `**let ${name}** = \`${written}\` = \`${value}\``;
}

function modelHover(a: Analysis, name: string): string | null {
  const ir = a.models.get(name);
  if (ir === undefined) return a.partials.has(name) ? `**model ${name}**: has errors` : null;
  const state = ir.totals.state > 0 ? `, ${count(ir.totals.state)} state` : "";
  return [
    `**model ${name}**: ${fmtShape(ir.input.shape)} → ${describeBottleneck(ir.bottleneck)} latent ${fmtShape(ir.bottleneck.latentShape)} → ${fmtShape(ir.input.shape)}`,
    `${count(ir.totals.parameters)} parameters (${fmtBytes(ir.totals.parameters * 4)} as float32)${state} · ${fmtBytes(ir.totals.activationBytes)} of activations per example`,
  ].join("\n\n");
}
