import type { Call, Comment, Let, LossTerm, Model, Section, SectionKind } from "./ast.js";
import { printCall, printExpr, printValue } from "./print-expr.js";

/**
 * The canonical layout of a file as a tree of lines and braced blocks, each
 * remembering the source range it stands for so comments can be put back
 * next to the code they were written beside.
 */

export interface LineLayout {
  readonly kind: "line";
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** `head {` children `}`; the closing brace is the last character of the range. */
export interface BlockLayout {
  readonly kind: "block";
  readonly head: string;
  readonly start: number;
  /** Where the head's last token ends (the `{` itself has no span in the AST). */
  readonly headEnd: number;
  readonly end: number;
  readonly children: readonly Layout[];
}

export type Layout = LineLayout | BlockLayout;

/** Activations written bare after a layer stay on that layer's line: `dense(512) relu`. */
const ACTIVATIONS: ReadonlySet<string> = new Set(["relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "softplus"]);

function line(text: string, start: number, end: number): LineLayout {
  return { kind: "line", text, start, end };
}

function callLine(c: Call): LineLayout {
  return line(printCall(c), c.span.start, c.span.end);
}

/** One layer per line, except that a bare activation joins the line before it. */
export function layerLines(layers: readonly Call[]): LineLayout[] {
  const groups: Call[][] = [];
  for (const layer of layers) {
    const last = groups[groups.length - 1];
    if (last !== undefined && layer.args === null && ACTIVATIONS.has(layer.callee.name)) last.push(layer);
    else groups.push([layer]);
  }
  return groups.map((g) => line(g.map(printCall).join(" "), g[0]!.span.start, g[g.length - 1]!.span.end));
}

function lossTerm(t: LossTerm): Layout {
  if (t.block === null) return line(printCall(t.call), t.span.start, t.span.end);
  const c = t.call;
  return { kind: "block", head: printCall(c), start: c.span.start, headEnd: c.span.end, end: t.span.end, children: layerLines(t.block) };
}

type SectionLayouts = { readonly [K in SectionKind]: (s: Extract<Section, { kind: K }>) => Layout };

function block(s: Section, head: string, headEnd: number, children: readonly Layout[]): BlockLayout {
  return { kind: "block", head, start: s.keyword.start, headEnd, end: s.span.end, children };
}

function sectionLine(s: Section, text: string): LineLayout {
  return line(text, s.keyword.start, s.span.end);
}

const SECTION_LAYOUTS: SectionLayouts = {
  InputSection: (s) => {
    const range = s.range === null ? "" : ` in [${printExpr(s.range.low)}, ${printExpr(s.range.high)}]`;
    return sectionLine(s, `input: ${printValue(s.shape)}${range}`);
  },
  CorruptSection: (s) => sectionLine(s, `corrupt: ${printCall(s.call)}`),
  EncoderSection: (s) => block(s, "encoder", s.keyword.end, layerLines(s.layers)),
  BottleneckSection: (s) =>
    s.block === null
      ? sectionLine(s, `bottleneck: ${printCall(s.call)}`)
      : block(s, `bottleneck: ${printCall(s.call)}`, s.call.span.end, s.block.map(callLine)),
  DecoderSection: (s) => block(s, "decoder", s.keyword.end, layerLines(s.layers)),
  PriorSection: (s) => sectionLine(s, `prior: ${printCall(s.call)}`),
  LossSection: (s) => block(s, "loss", s.keyword.end, s.terms.map(lossTerm)),
  TrainSection: (s) =>
    block(
      s,
      "train",
      s.keyword.end,
      s.settings.map((st) => line(`${st.name.name}: ${printValue(st.value)}`, st.span.start, st.span.end)),
    ),
};

export function itemLayout(item: Let | Model): Layout {
  if (item.kind === "Let") return line(`let ${item.name.name} = ${printExpr(item.value)}`, item.span.start, item.span.end);
  const head = item.base === null ? `model ${item.name.name}` : `model ${item.name.name} extends ${item.base.name}`;
  const children = item.sections.map((s) => (SECTION_LAYOUTS[s.kind] as (s: Section) => Layout)(s));
  return { kind: "block", head, start: item.span.start, headEnd: (item.base ?? item.name).span.end, end: item.span.end, children };
}

/** One output line before comments are attached. */
export interface Row {
  readonly depth: number;
  /** Depth of comments placed before this row: a closing brace's comments stay inside its block. */
  readonly commentDepth: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Lines in output order, which is also source order. An empty block prints
 * `head {}` unless a comment sits inside it, which then keeps it open.
 */
export function flatten(layout: Layout, depth: number, comments: readonly Comment[], out: Row[] = []): Row[] {
  if (layout.kind === "line") {
    out.push({ depth, commentDepth: depth, text: layout.text, start: layout.start, end: layout.end });
    return out;
  }
  const { head, start, headEnd, end, children } = layout;
  if (children.length === 0 && !comments.some((c) => c.span.start >= headEnd && c.span.end <= end)) {
    out.push({ depth, commentDepth: depth, text: `${head} {}`, start, end });
    return out;
  }
  out.push({ depth, commentDepth: depth, text: `${head} {`, start, end: headEnd });
  for (const child of children) flatten(child, depth + 1, comments, out);
  out.push({ depth, commentDepth: depth + 1, text: "}", start: end - 1, end });
  return out;
}
