import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from "vscode-languageserver";
import type { IToken } from "chevrotain";
import { KEYWORD_WORDS } from "../../grammar/tokens.js";
import type { Span } from "../diagnostics/span.js";
import { visitFile } from "../syntax/visit.js";
import type { Analysis } from "./analysis.js";
import { positionOf } from "./positions.js";
import { vocabOf } from "./vocabulary.js";

/**
 * Semantic tokens: what each name is, which a grammar cannot know (`relu` a
 * layer in `encoder`, a word in `activation: relu`; `h` a let). Keywords,
 * numbers, strings and comments come from the lexer, names from the AST visitor.
 */
export const TOKEN_TYPES = ["keyword", "function", "variable", "class", "property", "parameter", "enumMember", "number", "string", "comment"] as const;
export const TOKEN_MODIFIERS = ["declaration", "defaultLibrary"] as const;
export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

interface Classified {
  readonly start: number;
  readonly end: number;
  readonly type: TokenType;
  readonly modifiers: readonly Modifier[];
}

export function semanticTokens(a: Analysis): SemanticTokens {
  const found: Classified[] = [];
  const add = (s: Span, type: TokenType, ...modifiers: Modifier[]) => found.push({ start: s.start, end: s.end, type, modifiers });
  const lexed = a.lexed();
  const tokenSpan = (t: IToken): Span => ({ file: a.fileName, start: t.startOffset, end: t.startOffset + t.image.length });
  for (const t of lexed.tokens) {
    if (KEYWORD_WORDS.includes(t.image)) add(tokenSpan(t), "keyword");
    else if (t.tokenType.name === "NUMBER") add(tokenSpan(t), "number");
    else if (t.tokenType.name === "STRING") add(tokenSpan(t), "string");
  }
  for (const c of lexed.comments) add(tokenSpan(c), "comment");
  visitFile(a.ast, {
    model: (m) => add(m.name.span, "class", "declaration"),
    base: (n) => add(n.span, "class"),
    let: (l) => add(l.name.span, "variable", "declaration"),
    setting: (s) => add(s.name.span, "property"),
    arg: (arg) => {
      if (arg.name !== null) add(arg.name.span, "parameter");
    },
    call: (c, role, ctx) => {
      if (role !== "value") return add(c.callee.span, "function", "defaultLibrary");
      if (c.args === null && a.lets.names().includes(c.callee.name)) return add(c.callee.span, "variable");
      if (vocabOf(role, ctx) !== null || c.args !== null) return add(c.callee.span, "function", "defaultLibrary");
      add(c.callee.span, "enumMember", "defaultLibrary");
    },
  });
  found.sort((x, y) => x.start - y.start);
  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  for (const t of found) {
    if (t.start < lastEnd) continue; // one token per place
    lastEnd = t.end;
    // A token never spans lines here except a block comment: split it at line ends.
    for (const piece of lines(a, t.start, t.end)) {
      const p = positionOf(a.source, piece.start);
      const bits = t.modifiers.reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
      builder.push(p.line, p.character, piece.end - piece.start, TOKEN_TYPES.indexOf(t.type), bits);
    }
  }
  return builder.build();
}

function lines(a: Analysis, start: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = start;
  for (let i = start; i < end; i++) {
    if (a.source.text.charCodeAt(i) === 10) {
      if (i > s) out.push({ start: s, end: a.source.text.charCodeAt(i - 1) === 13 ? i - 1 : i });
      s = i + 1;
    }
  }
  if (end > s) out.push({ start: s, end });
  return out;
}
