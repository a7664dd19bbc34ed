import type { ISerializedGast, ProductionType } from "chevrotain";
import { aespecParser } from "./parser.js";
import { ALL_TOKENS, showToken } from "./tokens.js";

/**
 * The reference grammar as EBNF, generated from the parser's own grammar
 * (Chevrotain's serialized GAST), in docs/language.md's notation: `rule = ... ;`,
 * `{ }` repetition, `[ ]` option, `|` alternation, quoted literal tokens and
 * NAME / NUMBER / STRING terminals. grammar/aespec.ebnf holds the output; a
 * test regenerates it and fails when the checked-in file differs.
 */

interface Gast extends ISerializedGast {
  readonly name?: string;
  readonly definition?: Gast[];
  readonly separator?: Gast;
}

const NAME_WIDTH = 11;
/** A rule whose alternatives do not fit on one line gets one alternative per line. */
const LINE_WIDTH = 80;

const tokenByName = new Map(ALL_TOKENS.map((t) => [t.name, t]));

function terminal(name: string): string {
  const type = tokenByName.get(name);
  if (type === undefined) throw new Error(`internal: unknown token ${name}`);
  const show = showToken(type);
  return "literal" in show ? JSON.stringify(show.literal) : show.terminal;
}

const seq = (items: readonly Gast[] = []): string => items.map((g) => item(g, items.length > 1)).join(" ");

/** One production; `inSequence` when it stands beside others (an alternation then needs parentheses). */
type Render = (g: Gast, inSequence: boolean) => string;

const RENDER: Record<ProductionType, Render> = {
  Terminal: (g) => terminal(g.name!),
  NonTerminal: (g) => g.name!,
  Rule: (g) => seq(g.definition),
  Alternative: (g) => seq(g.definition),
  Alternation: (g, inSequence) => {
    const alts = (g.definition ?? []).map((a) => seq(a.definition)).join(" | ");
    return inSequence ? `( ${alts} )` : alts;
  },
  Option: (g) => `[ ${seq(g.definition)} ]`,
  Repetition: (g) => `{ ${seq(g.definition)} }`,
  RepetitionMandatory: (g) => `${seq(g.definition)} { ${seq(g.definition)} }`,
  RepetitionWithSeparator: (g) => `[ ${seq(g.definition)} { ${item(g.separator!, true)} ${seq(g.definition)} } ]`,
  RepetitionMandatoryWithSeparator: (g) => `${seq(g.definition)} { ${item(g.separator!, true)} ${seq(g.definition)} }`,
};

function item(g: Gast, inSequence: boolean): string {
  return RENDER[g.type](g, inSequence);
}

function rule(r: Gast): string {
  const head = `${r.name!.padEnd(NAME_WIDTH - 1)} = `;
  const body = r.definition ?? [];
  const only = body.length === 1 ? body[0]! : undefined;
  const oneLine = `${head}${seq(body)} ;`;
  if (only?.type !== "Alternation" || oneLine.length <= LINE_WIDTH) return oneLine;
  const alts = (only.definition ?? []).map((a) => seq(a.definition));
  const pad = " ".repeat(NAME_WIDTH);
  return alts.map((a, i) => (i === 0 ? `${head}${a}` : `${pad}| ${a}`)).join("\n") + " ;";
}

export function grammarToEbnf(rules: readonly ISerializedGast[]): string {
  return (rules as readonly Gast[]).map(rule).join("\n") + "\n";
}

const HEADER = `(* The grammar of aespec, generated from grammar/parser.ts by grammar/ebnf.ts.
   Do not edit: run \`UPDATE_EBNF=1 npx vitest run test/grammar\` after changing the parser.
   NAME, NUMBER and STRING are the tokens of docs/language.md, "Lexical"; comments and
   whitespace may appear between any two tokens. *)
`;

/** The text of grammar/aespec.ebnf. */
export function aespecEbnf(): string {
  return `${HEADER}\n${grammarToEbnf(aespecParser.getSerializedGastProductions())}`;
}
