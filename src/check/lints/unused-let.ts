import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Call, File, Section, Value } from "../../syntax/ast.js";

/**
 * AE2705: a let no value refers to. Syntactic, over the whole file, so it
 * does not depend on which models were checked. A name in a value position
 * (an argument, a setting, a dimension, a let's body) refers to a let; a
 * layer or term name does not. A let's mention of itself does not count;
 * a `--set` value's does.
 */
export function unusedLets(file: File, overrideValues: readonly Value[] = []): Diagnostic[] {
  const used = new Map<string, Set<string | null>>();
  const note = (name: string, from: string | null) => {
    const s = used.get(name) ?? new Set();
    s.add(from);
    used.set(name, s);
  };
  for (const item of file.items) {
    if (item.kind === "Let") walkValue(item.value, (n) => note(n, item.name.name));
    else for (const s of item.sections) walkSection(s, (n) => note(n, null));
  }
  for (const v of overrideValues) walkValue(v, (n) => note(n, null));
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

type Note = (name: string) => void;

function walkSection(s: Section, note: Note): void {
  switch (s.kind) {
    case "InputSection":
      s.shape.dims.forEach((d) => walkValue(d, note));
      if (s.range !== null) [s.range.low, s.range.high].forEach((b) => walkValue(b, note));
      return;
    case "CorruptSection":
    case "PriorSection":
      return walkArgs(s.call, note);
    case "EncoderSection":
    case "DecoderSection":
      return s.layers.forEach((l) => walkArgs(l, note));
    case "BottleneckSection":
      walkArgs(s.call, note);
      return s.block?.forEach((l) => walkArgs(l, note));
    case "LossSection":
      for (const t of s.terms) {
        walkArgs(t.call, note);
        t.block?.forEach((l) => walkArgs(l, note));
      }
      return;
    case "TrainSection":
      return s.settings.forEach((st) => walkValue(st.value, note));
  }
}

/** The arguments of a call in a call position (its own name is a vocabulary word). */
function walkArgs(c: Call, note: Note): void {
  for (const a of c.args ?? []) walkValue(a.value, note);
}

function walkValue(v: Value, note: Note): void {
  switch (v.kind) {
    case "Number":
    case "String":
      return;
    case "Neg":
      return walkValue(v.operand, note);
    case "Binary":
      walkValue(v.left, note);
      return walkValue(v.right, note);
    case "Shape":
      return v.dims.forEach((d) => walkValue(d, note));
    case "Call":
      if (v.args === null) note(v.callee.name);
      else walkArgs(v, note);
  }
}
