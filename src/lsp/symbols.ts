import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { KEYWORD_WORDS } from "../../grammar/tokens.js";
import type { Span } from "../diagnostics/span.js";
import { SECTION_KEYWORD } from "../syntax/ast.js";
import { visitFile } from "../syntax/visit.js";
import type { Analysis } from "./analysis.js";
import { locate } from "./locate.js";
import { rangeOf } from "./positions.js";

/** Lets and models: the two kinds of names a user defines and refers to. */
export interface Symbol {
  readonly kind: "let" | "model";
  readonly name: string;
  /** The name where it is defined (the first definition, if written twice). */
  readonly definition: Span | null;
  /** Every place the name is written as this symbol, the definition included. */
  readonly occurrences: readonly Span[];
}

/** The let or model named at an offset: a definition, a let used in a value, or an `extends` base. */
export function symbolAt(a: Analysis, offset: number): Symbol | null {
  const f = locate(a.ast, offset);
  if (f === null) return null;
  if (f.kind === "let") return symbolOf(a, "let", f.let.name.name);
  if (f.kind === "reference" && a.lets.names().includes(f.name.name)) return symbolOf(a, "let", f.name.name);
  if (f.kind === "model") return symbolOf(a, "model", f.model.name.name);
  if (f.kind === "base") return symbolOf(a, "model", f.name.name);
  return null;
}

export function symbolOf(a: Analysis, kind: "let" | "model", name: string): Symbol {
  const occurrences: Span[] = [];
  let definition: Span | null = null;
  const define = (s: Span) => {
    definition ??= s;
    occurrences.push(s);
  };
  visitFile(a.ast, {
    let: (l) => kind === "let" && l.name.name === name && define(l.name.span),
    reference: (n) => kind === "let" && n.name === name && occurrences.push(n.span),
    model: (m) => kind === "model" && m.name.name === name && define(m.name.span),
    base: (n) => kind === "model" && n.name === name && occurrences.push(n.span),
  });
  return { kind, name, definition, occurrences: occurrences.sort((x, y) => x.start - y.start) };
}

export function definition(a: Analysis, offset: number): Location | null {
  const s = symbolAt(a, offset);
  return s?.definition != null ? { uri: a.uri, range: rangeOf(a.source, s.definition) } : null;
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const s = symbolAt(a, offset);
  if (s === null) return [];
  return s.occurrences.filter((o) => includeDeclaration || o !== s.definition).map((o) => ({ uri: a.uri, range: rangeOf(a.source, o) }));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(KEYWORD_WORDS);

export function prepareRename(a: Analysis, offset: number): { range: Range; placeholder: string } | null {
  const f = locate(a.ast, offset);
  const s = symbolAt(a, offset);
  if (s === null || f === null) return null;
  return { range: rangeOf(a.source, f.at), placeholder: s.name };
}

/** The edits of a rename, or a message saying why the new name cannot be. */
export function rename(a: Analysis, offset: number, newName: string): WorkspaceEdit | string | null {
  const s = symbolAt(a, offset);
  if (s === null) return null;
  if (!NAME.test(newName) || KEYWORDS.has(newName)) return `'${newName}' is not a name: a letter or _, then letters, digits or _, and not a keyword`;
  const taken = a.ast.items.some((i) => i.name.name === newName && (i.kind === "Let" ? "let" : "model") === s.kind);
  if (taken && newName !== s.name) return `a ${s.kind} named '${newName}' already exists`;
  const edits: TextEdit[] = s.occurrences.map((o) => ({ range: rangeOf(a.source, o), newText: newName }));
  return { changes: { [a.uri]: edits } };
}

/** The outline: lets, and models with their sections. */
export function documentSymbols(a: Analysis): DocumentSymbol[] {
  return a.ast.items.map((item): DocumentSymbol => {
    if (item.kind === "Let") {
      return { name: item.name.name, kind: SymbolKind.Constant, range: rangeOf(a.source, item.span), selectionRange: rangeOf(a.source, item.name.span) };
    }
    const ir = a.models.get(item.name.name);
    return {
      name: item.name.name,
      ...(item.base !== null
        ? { detail: `extends ${item.base.name}` }
        : ir !== undefined
          ? { detail: `${ir.totals.parameters.toLocaleString("en-US")} parameters` }
          : {}),
      kind: SymbolKind.Class,
      range: rangeOf(a.source, item.span),
      selectionRange: rangeOf(a.source, item.name.span),
      children: item.sections.map((s) => ({
        name: SECTION_KEYWORD[s.kind],
        kind: SymbolKind.Field,
        range: rangeOf(a.source, s.span),
        selectionRange: rangeOf(a.source, s.keyword),
      })),
    };
  });
}

/** Folding: models, sections over several lines, block comments. */
export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const fold = (span: Span, kind?: FoldingRangeKind) => {
    const r = rangeOf(a.source, span);
    if (r.end.line > r.start.line) out.push({ startLine: r.start.line, endLine: r.end.line, ...(kind !== undefined ? { kind } : {}) });
  };
  for (const item of a.ast.items) {
    if (item.kind !== "Model") continue;
    fold(item.span);
    for (const s of item.sections) fold(s.span);
  }
  for (const c of a.ast.comments) if (c.text.startsWith("/*")) fold(c.span, FoldingRangeKind.Comment);
  return out;
}
