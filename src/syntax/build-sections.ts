import type { CstNode, IToken, TokenType } from "chevrotain";
import { Bottleneck, Corrupt, Decoder, Encoder, Input, Loss, Prior, Train } from "../../grammar/tokens.js";
import type { Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { keywordOffset, lastSpan, sub, subs, tok, toks, type Children, type Part } from "./cst.js";

/**
 * The sections of a model: one builder per section kind, found by its keyword
 * token (AstBuilder.section). The rules on incomplete nodes are AstBuilder's.
 */
/** What a section's builder asks of the AST builder (build-ast.ts's AstBuilder), declared here so the two files do not import each other. */
export interface SectionContext {
  cover(first: Span | IToken, ...rest: Part[]): Span;
  ident(t: IToken | undefined): A.Ident | null;
  shape(node: CstNode | undefined): A.ShapeLit | null;
  expr(node: CstNode | undefined): A.Expr | null;
  value(node: CstNode | undefined): A.Value | null;
  call(node: CstNode | undefined): A.Call | null;
  calls(nodes: readonly CstNode[]): A.Call[];
  layers(node: CstNode | undefined): { calls: A.Call[]; span: Span } | null;
}

type SectionBuilders = {
  readonly [K in A.SectionKind]: {
    readonly keyword: TokenType;
    readonly build: (b: SectionContext, c: Children, keyword: Span) => Extract<A.Section, { kind: K }> | null;
  };
};

export const SECTIONS: SectionBuilders = {
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
      const terms = pairLossTerms(b, subs(c, "term"), subs(c, "termBlock"));
      const span = b.cover(keyword, tok(c, "LCurly"), lastSpan(terms), tok(c, "RCurly"));
      return { kind: "LossSection", keyword, terms, span };
    },
  },
  TrainSection: {
    keyword: Train,
    build(b, c, keyword) {
      const settings = pairSettings(b, toks(c, "setting"), subs(c, "value"));
      const span = b.cover(keyword, tok(c, "LCurly"), lastSpan(settings), tok(c, "RCurly"));
      return { kind: "TrainSection", keyword, settings, span };
    },
  },
};

/** `{ call [ layers ] }`: a block belongs to the term just before it. */
function pairLossTerms(b: SectionContext, callNodes: readonly CstNode[], blockNodes: readonly CstNode[]): A.LossTerm[] {
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
    const call = b.call(n);
    if (call === null) return;
    if (blockNode === undefined) {
      terms.push({ kind: "LossTerm", call, block: null, span: call.span });
      return;
    }
    const block = b.layers(blockNode);
    if (block !== null) terms.push({ kind: "LossTerm", call, block: block.calls, span: b.cover(call.span, block.span) });
  });
  return terms;
}

/** `{ NAME ":" value }`: each value belongs to the name just before it; a name whose value broke is dropped. */
function pairSettings(b: SectionContext, names: readonly IToken[], valueNodes: readonly CstNode[]): A.Setting[] {
  const out: A.Setting[] = [];
  let ni = -1;
  let taken = -1;
  for (const n of valueNodes) {
    const value = b.value(n);
    if (value === null) continue;
    while (ni + 1 < names.length && names[ni + 1]!.startOffset < value.span.start) ni++;
    if (ni < 0 || ni === taken) continue;
    taken = ni;
    const name = b.ident(names[ni])!;
    out.push({ kind: "Setting", name, value, span: b.cover(name.span, value.span) });
  }
  return out;
}
