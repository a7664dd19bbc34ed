import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";
import { LCurly, LParen, RCurly, RParen, RBracket, showToken } from "./tokens.js";

/**
 * Short, rustc-like syntax error messages: "expected `)`, found `}`",
 * "unexpected end of file: expected `}`". Where a bare token would say too
 * little, the place is named: "expected a section (input, corrupt, encoder,
 * ...) or `}`", "expected an argument or `)`".
 */

/** What the end of the input is called: "file", or "input" for a `--set` value. */
let endName = "file";

export function setEndName(name: "file" | "input"): void {
  endName = name;
}

const SECTION_LIST = "a section (input, corrupt, encoder, ...)";

/** Phrases for what a rule expects where a plain token list would read badly. */
const RULE_PHRASE: Record<string, string> = {
  file: "`let` or `model`",
  section: SECTION_LIST,
  value: "a value (a number, name, shape or string)",
  primary: "an expression",
  expr: "an expression",
  term: "an expression",
  unary: "an expression",
};

export function describeToken(type: TokenType): string {
  if (type === EOF) return `end of ${endName}`;
  const show = showToken(type);
  return "literal" in show ? `\`${show.literal}\`` : show.phrase;
}

function found(actual: IToken): string {
  if (actual.tokenType === EOF) return `end of ${endName}`;
  const image = actual.image.length > 24 ? `${actual.image.slice(0, 24)}...` : actual.image;
  return `\`${image}\``;
}

function compose(expected: string, actual: IToken): string {
  return actual.tokenType === EOF ? `unexpected end of ${endName}: expected ${expected}` : `expected ${expected}, found ${found(actual)}`;
}

/** `a`, `a or b`, `a, b or c`, without repeats. */
function oneOf(phrases: readonly string[]): string {
  const unique = [...new Set(phrases)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/**
 * A closing token says more with what else could have come: inside `f(a`
 * a `,` would also do; inside a model body, another section.
 */
function expectedPhrase(expected: TokenType, previous: IToken | undefined, ruleName: string): string {
  const prev = previous?.tokenType;
  if (expected === EOF && ruleName === "file") return RULE_PHRASE["file"]!;
  if (expected === RCurly && ruleName === "model") return `${SECTION_LIST} or \`}\``;
  if (expected === RCurly && ruleName === "layers") return prev === LCurly ? "a layer or `}`" : "another layer or `}`";
  if (expected === RParen && ruleName === "call") return prev === LParen ? "an argument or `)`" : "`,` or `)`";
  if (expected === RBracket && ruleName === "shape") return "`,` or `]`";
  return describeToken(expected);
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    return compose(expectedPhrase(expected, previous, ruleName), actual);
  },

  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    if (ruleName === "file") return compose(RULE_PHRASE["file"]!, firstRedundant);
    return `expected end of ${endName}, found ${found(firstRedundant)}`;
  },

  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = actual[0]!;
    const phrase = RULE_PHRASE[ruleName];
    if (phrase !== undefined) return compose(phrase, first);
    const starts = expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter((t) => t !== undefined);
    return compose(oneOf(starts.map(describeToken)), first);
  },

  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const phrase = RULE_PHRASE[ruleName];
    const starts = expectedIterationPaths.map((path) => path[0]).filter((t) => t !== undefined);
    return compose(phrase ?? oneOf(starts.map(describeToken)), actual[0]!);
  },
};
