import type { CstNode, IToken } from "chevrotain";
import { InvalidNumber } from "../../grammar/tokens.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { SECTIONS } from "./build-sections.js";
import { end, firstToken, keywordOffset, lastSpan, sub, subs, tok, toks, type Part } from "./cst.js";
import { decodeString } from "./lex.js";
import { MAX_EXPR_OPERANDS } from "./limits.js";

/**
 * Builds the AST (src/syntax/ast.ts) from the parser's CST, one method per
 * grammar rule. The CST may come from error recovery, so nothing here may be
 * assumed present: a node that Chevrotain re-synced (`recoveredNode`) or that
 * lacks a part it needs is dropped (the method returns null), and its parent
 * drops it from a list or is dropped in turn. Tokens inserted by recovery
 * count as missing. So the AST only ever holds what the user really wrote.
 */

const SECTION_ENTRIES = Object.values(SECTIONS);

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Operands seen in the outermost expression being built (AE1023). */
  private operands = 0;
  private exprDepth = 0;

  constructor(private readonly file: string) {}

  span(start: number, stop: number): Span {
    return { file: this.file, start, end: stop };
  }

  /** The smallest span covering every present part (the first part must be present). */
  cover(first: Span | IToken, ...rest: Part[]): Span {
    const start = "image" in first ? first.startOffset : first.start;
    let stop = "image" in first ? end(first) : first.end;
    for (const p of rest) {
      if (p === null || p === undefined) continue;
      const e = "image" in p ? (p.isInsertedInRecovery === true ? -1 : end(p)) : p.end;
      if (e > stop) stop = e;
    }
    return this.span(start, stop);
  }

  ident(t: IToken | undefined): A.Ident | null {
    return t === undefined ? null : { kind: "Ident", name: t.image, span: this.span(t.startOffset, end(t)) };
  }

  /** file = { let | model }, items in source order. */
  items(node: CstNode): (A.Let | A.Model)[] {
    const c = node.children;
    // Each item's keyword is real: the repetition only enters an item on it.
    const entries = [
      ...subs(c, "let").map((n) => ({ at: keywordOffset(n, "Let"), build: () => this.let(n) })),
      ...subs(c, "model").map((n) => ({ at: keywordOffset(n, "Model"), build: () => this.model(n) })),
    ].sort((a, b) => a.at - b.at);
    const out: (A.Let | A.Model)[] = [];
    for (const e of entries) {
      const item = e.build();
      if (item !== null) out.push(item);
    }
    return out;
  }

  let(node: CstNode): A.Let | null {
    if (node.recoveredNode === true) return null;
    const c = node.children;
    const kw = tok(c, "Let");
    const name = this.ident(tok(c, "NAME"));
    const value = this.expr(sub(c, "expr"));
    if (kw === undefined || name === null || value === null) return null;
    return { kind: "Let", name, value, span: this.cover(kw, value.span) };
  }

  model(node: CstNode): A.Model | null {
    if (node.recoveredNode === true) return null;
    const c = node.children;
    const kw = tok(c, "Model");
    const name = this.ident(tok(c, "name"));
    const base = this.ident(tok(c, "base"));
    if (kw === undefined || name === null || (c["Extends"] !== undefined && base === null)) return null;
    const sections: A.Section[] = [];
    for (const s of subs(c, "section")) {
      const section = this.section(s);
      if (section !== null) sections.push(section);
    }
    const span = this.cover(kw, name.span, base?.span, tok(c, "LCurly"), lastSpan(sections), tok(c, "RCurly"));
    return { kind: "Model", name, base, sections, span };
  }

  section(node: CstNode): A.Section | null {
    if (node.recoveredNode === true) return null;
    const c = node.children;
    for (const entry of SECTION_ENTRIES) {
      const kw = tok(c, entry.keyword.name);
      if (kw !== undefined) return entry.build(this, c, this.span(kw.startOffset, end(kw)));
    }
    return null;
  }

  /** layers = "{" { call } "}" */
  layers(node: CstNode | undefined): { calls: A.Call[]; span: Span } | null {
    if (node === undefined || node.recoveredNode === true) return null;
    const c = node.children;
    const open = tok(c, "LCurly");
    if (open === undefined) return null;
    const calls = this.calls(subs(c, "call"));
    return { calls, span: this.cover(open, lastSpan(calls), tok(c, "RCurly")) };
  }

  /** The complete calls of a block, in order. */
  calls(nodes: readonly CstNode[]): A.Call[] {
    const out: A.Call[] = [];
    for (const n of nodes) {
      const call = this.call(n);
      if (call !== null) out.push(call);
    }
    return out;
  }

  /** call = NAME [ "(" [ arg { "," arg } ] ")" ]; a call with a broken argument is dropped whole. */
  call(node: CstNode | undefined): A.Call | null {
    if (node === undefined || node.recoveredNode === true) return null;
    const c = node.children;
    const callee = this.ident(tok(c, "NAME"));
    if (callee === null) return null;
    if (c["LParen"] === undefined) return { kind: "Call", callee, args: null, span: callee.span };
    const args: A.Arg[] = [];
    for (const n of subs(c, "arg")) {
      const arg = this.arg(n);
      if (arg === null) return null;
      args.push(arg);
    }
    if (args.length > 0 && toks(c, "Comma").length !== args.length - 1) return null;
    return { kind: "Call", callee, args, span: this.cover(callee.span, tok(c, "LParen"), lastSpan(args), tok(c, "RParen")) };
  }

  /** arg = [ NAME ":" ] value */
  arg(node: CstNode): A.Arg | null {
    if (node.recoveredNode === true) return null;
    const c = node.children;
    const named = c["NAME"] !== undefined;
    const name = this.ident(tok(c, "NAME"));
    const value = this.value(sub(c, "value"));
    if (value === null || (named && name === null)) return null;
    return { kind: "Arg", name, value, span: this.cover(name?.span ?? value.span, value.span) };
  }

  /** value = expr | shape | STRING */
  value(node: CstNode | undefined): A.Value | null {
    if (node === undefined || node.recoveredNode === true) return null;
    const c = node.children;
    if (c["expr"] !== undefined) return this.expr(sub(c, "expr"));
    if (c["shape"] !== undefined) return this.shape(sub(c, "shape"));
    const s = tok(c, "STRING");
    if (s === undefined) return null;
    return { kind: "String", value: decodeString(s.image), span: this.span(s.startOffset, end(s)) };
  }

  /** shape = "[" expr { "," expr } "]" */
  shape(node: CstNode | undefined): A.ShapeLit | null {
    if (node === undefined || node.recoveredNode === true) return null;
    const c = node.children;
    const open = tok(c, "LBracket");
    if (open === undefined) return null;
    const dims: A.Expr[] = [];
    for (const n of subs(c, "expr")) {
      const dim = this.expr(n);
      if (dim === null) return null;
      dims.push(dim);
    }
    if (dims.length === 0) return null;
    return { kind: "Shape", dims, span: this.cover(open, lastSpan(dims), tok(c, "RBracket")) };
  }

  /** expr = term { ( "+" | "-" ) term }, left-associative. */
  expr(node: CstNode | undefined): A.Expr | null {
    if (node === undefined || node.recoveredNode === true) return null;
    if (this.exprDepth === 0) this.operands = 0;
    this.exprDepth++;
    const c = node.children;
    const terms = subs(c, "term");
    const ops = (c["op"] ?? []) as IToken[];
    let result: A.Expr | null = null;
    if (terms.length > 0 && ops.length === terms.length - 1) {
      result = this.term(terms[0]!);
      for (let i = 0; result !== null && i < ops.length; i++) result = this.binary(result, ops[i]!, this.term(terms[i + 1]!));
    }
    this.exprDepth--;
    return result;
  }

  /** term = unary { ( "*" | "/" ) unary }, left-associative. */
  term(node: CstNode): A.Expr | null {
    if (node.recoveredNode === true) return null;
    const c = node.children;
    const unaries = subs(c, "unary");
    const ops = (c["op"] ?? []) as IToken[];
    if (unaries.length === 0 || ops.length !== unaries.length - 1) return null;
    let result = this.unary(unaries[0]!);
    for (let i = 0; result !== null && i < ops.length; i++) result = this.binary(result, ops[i]!, this.unary(unaries[i + 1]!));
    return result;
  }

  private binary(left: A.Expr, op: IToken, right: A.Expr | null): A.Binary | null {
    if (right === null || op.isInsertedInRecovery === true) return null;
    return { kind: "Binary", op: op.image as A.BinaryOp, left, right, span: this.span(left.span.start, right.span.end) };
  }

  /** unary = [ "-" ] primary; counts operands for the expression-length limit. */
  unary(node: CstNode): A.Expr | null {
    if (node.recoveredNode === true) return null;
    if (++this.operands > MAX_EXPR_OPERANDS) {
      if (this.operands === MAX_EXPR_OPERANDS + 1) {
        const first = firstToken(node);
        const at = first === undefined ? this.span(0, 0) : this.span(first.startOffset, end(first));
        this.diagnostics.push(
          diag("AE1023", `expression has more than ${MAX_EXPR_OPERANDS} operands`, at, {
            hint: "split it into parts named with `let`",
          }),
        );
      }
      return null;
    }
    const c = node.children;
    const operand = this.primary(sub(c, "primary"));
    if (operand === null) return null;
    const minus = tok(c, "Minus");
    if (c["Minus"] !== undefined && minus === undefined) return null;
    return minus === undefined ? operand : { kind: "Neg", operand, span: this.cover(minus, operand.span) };
  }

  /** primary = NUMBER | call | "(" expr ")" */
  primary(node: CstNode | undefined): A.Expr | null {
    if (node === undefined || node.recoveredNode === true) return null;
    const c = node.children;
    const n = tok(c, "NUMBER");
    if (n !== undefined) {
      const value = Number(n.image);
      if (n.tokenType === InvalidNumber || !Number.isFinite(value)) return null;
      return { kind: "Number", value, text: n.image, span: this.span(n.startOffset, end(n)) };
    }
    if (c["call"] !== undefined) return this.call(sub(c, "call"));
    const inner = this.expr(sub(c, "expr"));
    const open = tok(c, "LParen");
    if (inner === null || open === undefined) return null;
    // No node for the parentheses, but the span keeps them: it is what was written.
    return { ...inner, span: this.cover(open, inner.span, tok(c, "RParen")) };
  }
}
