import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Span } from "../diagnostics/span.js";

/** Small readers for Chevrotain CST nodes, for the AST builder. */

export type Children = CstNode["children"];
export type Part = Span | IToken | null | undefined;

/** A real token under `key` (not one inserted by recovery). */
export function tok(c: Children, key: string, i = 0): IToken | undefined {
  const t = c[key]?.[i] as IToken | undefined;
  return t === undefined || t.isInsertedInRecovery === true ? undefined : t;
}

export function sub(c: Children, key: string, i = 0): CstNode | undefined {
  return c[key]?.[i] as CstNode | undefined;
}

export function subs(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}

export function toks(c: Children, key: string): IToken[] {
  return ((c[key] ?? []) as IToken[]).filter((t) => t.isInsertedInRecovery !== true);
}

export const end = (t: IToken): number => t.startOffset + t.image.length;

export function isToken(e: CstElement): e is IToken {
  return "image" in e;
}

/** A CST node's first real token, if it has one. */
export function firstToken(node: CstNode): IToken | undefined {
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
export function lastSpan(nodes: readonly { readonly span: Span }[]): Span | undefined {
  return nodes[nodes.length - 1]?.span;
}

/** The offset of a rule's first token, which the grammar guarantees is real (-1 if absent). */
export function keywordOffset(node: CstNode, key: string): number {
  return tok(node.children, key)?.startOffset ?? -1;
}
