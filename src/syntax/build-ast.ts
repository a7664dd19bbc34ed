import type { CstElement, CstNode, IToken, TokenType } from "chevrotain";
import { Bottleneck, Corrupt, Decoder, Encoder, Input, InvalidNumber, Loss, Prior, Train } from "../../grammar/tokens.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
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

type Children = CstNode["children"];
type Part = Span | IToken | null | undefined;

/** A real token under `key` (not one inserted by recovery). */
function tok(c: Children, key: string, i = 0): IToken | undefined {
  const t = c[key]?.[i] as IToken | undefined;
  return t === undefined || t.isInsertedInRecovery === true ? undefined : t;
}

function sub(c: Children, key: string, i = 0): CstNode | undefined {
  return c[key]?.[i] as CstNode | undefined;
}

function subs(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}

function toks(c: Children, key: string): IToken[] {
  return ((c[key] ?? []) as IToken[]).filter((t) => t.isInsertedInRecovery !== true);
}

const end = (t: IToken) => t.startOffset + t.image.length;

function isToken(e: CstElement): e is IToken {
  return "image" in e;
}

/** A CST node's first real token, if it has one. */
function firstToken(node: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const key in node.children) {
    // children under one key are in source order: the first real one is that key's earliest
    for (const e of node.children[key]!) {
      const t = isToken(e) ? (e.isInsertedInRecovery === true ? undefined : e) : firstToken(e);
      if (t === undefined) continue;
      if (best === undefined || t.startOffset < best.startOffset) best = t;
      break;
    }
  }
  return best;
}

/** The span of a list's last node: the one that reaches furthest. */
function lastSpan(nodes: readonly { readonly span: Span }[]): Span | undefined {
  return nodes[nodes.length - 1]?.span;
}

/** The offset of a rule's first token, which the grammar guarantees is real (-1 if absent). */
function keywordOffset(node: CstNode, key: string): number {
  return tok(node.children, key)?.startOffset ?? -1;
}

/** Sections by their keyword token: one builder per section kind. */
type SectionBuilders = {
  readonly [K in A.SectionKind]: {
    readonly keyword: TokenType;
    readonly build: (b: AstBuilder, c: Children, keyword: Span) => Extract<A.Section, { kind: K }> | null;
  };
};

const SECTIONS: SectionBuilders = {
  InputSection: {
    keyword: Input,
    build(b, c, keyword) {
      const shape = b.shape(sub(c, "shape"));
      if (shape === null) return null;
      let range: A.InputRange | null = null;
      const inTok = tok(c, "In");
      if (c["In"] !== undefined) {
        const low = b.expr(sub(c, "low"));
        const high = b.expr(sub(c, "high"));
        if (inTok === undefined || low === null || high === null) return null;
        range = { kind: "Range", low, high, span: b.cover(inTok, high.span, tok(c, "RBracket")) };
      }
      return { kind: "InputSection", keyword, shape, range, span: b.cover(keyword, shape.span, range?.span) };
    },
  },
  CorruptSection: {
    keyword: Corrupt,
    build(b, c, keyword) {
      const call = b.call(sub(c, "call"));
      return call === null ? null : { kind: "CorruptSection", keyword, call, span: b.cover(keyword, call.span) };
    },
  },
  EncoderSection: {
    keyword: Encoder,
    build(b, c, keyword) {
      const layers = b.layers(sub(c, "layers"));
      return layers === null ? null : { kind: "EncoderSection", keyword, layers: layers.calls, span: b.cover(keyword, layers.span) };
    },
  },
  BottleneckSection: {
    keyword: Bottleneck,
    build(b, c, keyword) {
      const call = b.call(sub(c, "call"));
      if (call === null) return null;
      if (c["LCurly"] === undefined) return { kind: "BottleneckSection", keyword, call, block: null, span: b.cover(keyword, call.span) };
      const block = b.calls(subs(c, "block"));
      const span = b.cover(keyword, call.span, tok(c, "LCurly"), lastSpan(block), tok(c, "RCurly"));
      return { kind: "BottleneckSection", keyword, call, block, span };
    },
  },
  DecoderSection: {
    keyword: Decoder,
    build(b, c, keyword) {
      const layers = b.layers(sub(c, "layers"));
      return layers === null ? null : { kind: "DecoderSection", keyword, layers: layers.calls, span: b.cover(keyword, layers.span) };
    },
  },
  PriorSection: {
    keyword: Prior,
    build(b, c, keyword) {
      const call = b.call(sub(c, "call"));
      return call === null ? null : { kind: "PriorSection", keyword, call, span: b.cover(keyword, call.span) };
    },
  },
  LossSection: {
    keyword: Loss,
    build(b, c, keyword) {
      const terms = b.lossTerms(subs(c, "term"), subs(c, "termBlock"));
      const span = b.cover(keyword, tok(c, "LCurly"), lastSpan(terms), tok(c, "RCurly"));
      return { kind: "LossSection", keyword, terms, span };
    },
  },
  TrainSection: {
    keyword: Train,
    build(b, c, keyword) {
      const settings = b.settings(toks(c, "setting"), subs(c, "value"));
      const span = b.cover(keyword, tok(c, "LCurly"), lastSpan(settings), tok(c, "RCurly"));
      return { kind: "TrainSection", keyword, settings, span };
    },
  },
};

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

  /** `{ call [ layers ] }`: a block belongs to the term just before it. */
  lossTerms(callNodes: readonly CstNode[], blockNodes: readonly CstNode[]): A.LossTerm[] {
    // A term starts with its name and a block with `{`, both real (the grammar only enters them on these tokens).
    const blocks = blockNodes.map((n) => ({ at: keywordOffset(n, "LCurly"), node: n }));
    const terms: A.LossTerm[] = [];
    let bi = 0;
    callNodes.forEach((n, i) => {
      const at = keywordOffset(n, "NAME");
      const nextAt = i + 1 < callNodes.length ? keywordOffset(callNodes[i + 1]!, "NAME") : Infinity;
      while (bi < blocks.length && blocks[bi]!.at < at) bi++; // a block before any term: dropped
      let blockNode: CstNode | undefined;
      if (bi < blocks.length && blocks[bi]!.at < nextAt) blockNode = blocks[bi++]!.node;
      const call = this.call(n);
      if (call === null) return;
      if (blockNode === undefined) {
        terms.push({ kind: "LossTerm", call, block: null, span: call.span });
        return;
      }
      const block = this.layers(blockNode);
      if (block !== null) terms.push({ kind: "LossTerm", call, block: block.calls, span: this.cover(call.span, block.span) });
    });
    return terms;
  }

  /** `{ NAME ":" value }`: each value belongs to the name just before it; a name whose value broke is dropped. */
  settings(names: readonly IToken[], valueNodes: readonly CstNode[]): A.Setting[] {
    const out: A.Setting[] = [];
    let ni = -1;
    let taken = -1;
    for (const n of valueNodes) {
      const value = this.value(n);
      if (value === null) continue;
      while (ni + 1 < names.length && names[ni + 1]!.startOffset < value.span.start) ni++;
      if (ni < 0 || ni === taken) continue;
      taken = ni;
      const name = this.ident(names[ni])!;
      out.push({ kind: "Setting", name, value, span: this.cover(name.span, value.span) });
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
