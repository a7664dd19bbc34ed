import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import { EOF, MismatchedTokenException, tokenMatcher } from "./chevrotain.js";
import { CLOSERS, OPENERS } from "./tokens.js";

/**
 * Bracket-aware error recovery for Chevrotain 11.
 *
 * Chevrotain re-syncs after an error by skipping to the first token that may
 * follow any rule on the stack, wherever it stands. It does not know brackets:
 * in `mmd(: 10, kernel: imq)` it takes `kernel` for the next loss term, and in
 * `model a { decodr { dense(1) } bottleneck: x }` it takes the `}` of `decodr {`
 * for the end of the model; each time everything after is a further, bogus error.
 *
 * Here every rule on the stack remembers the bracket depth at which it began,
 * and a token only counts as following that rule at that same depth. So a
 * re-sync never stops inside a group the broken rule did not open, nor on a
 * token of an enclosing rule before the group is closed. And a missing closing
 * bracket is only assumed (single token insertion) when the group is not
 * closed further on.
 *
 * This replaces five methods of Chevrotain's Recoverable trait, pinned at
 * 11.2.0 (findReSyncTokenType, isInCurrentRuleReSyncSet, reSyncTo,
 * tryInRepetitionRecovery, canRecoverWithSingleTokenInsertion), and uses the
 * parser internals below, which its public types do not declare.
 */
export interface ParserInternals {
  readonly currIdx: number;
  readonly RULE_STACK_IDX: number;
  LA(k: number): IToken;
  SKIP_TOKEN(): IToken;
  exportLexerState(): number;
  importLexerState(state: number): void;
  buildFullFollowKeyStack(): object[];
  getFollowSetFromFollowKey(key: object): TokenType[] | undefined;
  getCurrRuleFullName(): string;
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
  errorMessageProvider: {
    buildMismatchTokenMessage(o: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string;
  };
}

/**
 * Bracket structure of a token vector, computed once per parse in linear time.
 * A closing bracket closes the innermost open bracket of its kind, and with it
 * any other brackets opened since (`f(8 }` closes the `(` and its `{`); one
 * without an open bracket of its kind is ignored.
 * (Chevrotain appends EOF sentinels to the vector while it parses: `length` is the real one.)
 */
export class Brackets {
  readonly length: number;
  /** depth[i]: brackets open before token i (depth[n] for the end). */
  readonly depth: Int32Array;
  /** opener[i]: index of the innermost bracket open before token i, or -1. */
  readonly opener: Int32Array;
  /** closer[o]: for an opening bracket o, the index of the bracket of its kind that closes it, or -1. */
  readonly closer: Int32Array;

  constructor(readonly tokens: readonly IToken[]) {
    const n = tokens.length;
    this.length = n;
    this.depth = new Int32Array(n + 1);
    this.opener = new Int32Array(n + 1);
    this.closer = new Int32Array(n).fill(-1);
    const open: number[] = []; // indices of open brackets
    const kinds: number[] = []; // their kinds (index into OPENERS)
    const openOfKind = [0, 0, 0]; // so that a stray closer costs O(1), keeping this linear
    for (let i = 0; i <= n; i++) {
      this.depth[i] = open.length;
      this.opener[i] = open.length > 0 ? open[open.length - 1]! : -1;
      if (i === n) break;
      const type = tokens[i]!.tokenType;
      const opening = OPENERS.indexOf(type);
      if (opening >= 0) {
        open.push(i);
        kinds.push(opening);
        openOfKind[opening]!++;
        continue;
      }
      const kind = CLOSERS.indexOf(type);
      if (kind < 0 || openOfKind[kind] === 0) continue;
      for (;;) {
        const o = open.pop()!;
        const k = kinds.pop()!;
        openOfKind[k]!--;
        if (k === kind) {
          this.closer[o] = i;
          break;
        }
      }
    }
  }

  depthAt(i: number): number {
    return this.depth[Math.min(Math.max(i, 0), this.length)]!;
  }
}

/** The recovery state a parser keeps beside Chevrotain's. */
export interface RecoveryState {
  brackets: Brackets;
  /** ruleStart[k]: index of the first token of the rule at stack level k. */
  readonly ruleStart: number[];
  /** Where the last findReSyncTokenType stopped, for reSyncTo. */
  resyncAt: number;
}

interface Level {
  readonly follows: readonly TokenType[];
  readonly depth: number;
}

/** Each rule on the stack, outermost first: what may follow it, and at which depth. */
function levels(p: ParserInternals, s: RecoveryState): Level[] {
  return p.buildFullFollowKeyStack().map((key, k) => ({
    follows: p.getFollowSetFromFollowKey(key) ?? [],
    depth: s.brackets.depthAt(s.ruleStart[k] ?? 0),
  }));
}

/** The matching follow type of token i, if a rule on the stack may end right before it. */
function followMatch(ls: readonly Level[], s: RecoveryState, i: number, t: IToken): TokenType | undefined {
  const depth = s.brackets.depthAt(i);
  for (let k = ls.length - 1; k >= 0; k--) {
    const level = ls[k]!;
    if (level.depth !== depth) continue;
    const match = level.follows.find((type) => tokenMatcher(t, type));
    if (match !== undefined) return match;
  }
  return undefined;
}

function tokenAt(s: RecoveryState, i: number, p: ParserInternals): IToken {
  return i < s.brackets.length ? s.brackets.tokens[i]! : p.LA(Number.MAX_SAFE_INTEGER);
}

export function findReSyncTokenType(p: ParserInternals, s: RecoveryState): TokenType {
  const ls = levels(p, s);
  const n = s.brackets.length;
  for (let i = p.currIdx + 1; i < n; i++) {
    const match = followMatch(ls, s, i, s.brackets.tokens[i]!);
    if (match !== undefined) {
      s.resyncAt = i;
      return match;
    }
  }
  s.resyncAt = n;
  return EOF;
}

/** Whether the rule being left may end where findReSyncTokenType stopped. */
export function isInCurrentRuleReSyncSet(p: ParserInternals, s: RecoveryState, type: TokenType): boolean {
  const k = p.RULE_STACK_IDX;
  const key = p.buildFullFollowKeyStack()[k];
  const follows = key === undefined ? [] : (p.getFollowSetFromFollowKey(key) ?? []);
  if (!follows.includes(type)) return false;
  return type === EOF || s.brackets.depthAt(s.ruleStart[k] ?? 0) === s.brackets.depthAt(s.resyncAt);
}

export function reSyncTo(p: ParserInternals, s: RecoveryState): IToken[] {
  while (p.currIdx + 1 < s.resyncAt && p.currIdx + 1 < s.brackets.length) p.SKIP_TOKEN();
  return [];
}

/**
 * Single token insertion, more careful than Chevrotain's: not when deleting
 * the next token would do, and a missing closing bracket only when nothing
 * closes the group further on (in `f(a b c)` the `)` is there, so `b` is not
 * taken for the end).
 */
export function canRecoverWithSingleTokenInsertion(p: ParserInternals, s: RecoveryState, expected: TokenType, follows: readonly TokenType[]): boolean {
  if (follows.length === 0) return false;
  // When the token after next is the one expected, deleting the next one is the
  // better repair: Chevrotain would insert first (`model m encoder {` would open a block).
  if (tokenMatcher(p.LA(2), expected)) return false;
  const i = p.currIdx + 1;
  const next = tokenAt(s, i, p);
  if (!follows.some((type) => tokenMatcher(next, type))) return false;
  if (!CLOSERS.includes(expected)) return true;
  const open = s.brackets.opener[Math.min(i, s.brackets.length)]!;
  const close = open < 0 ? -1 : s.brackets.closer[open]!;
  return !(close > i && s.brackets.tokens[close]!.tokenType === expected);
}

/**
 * Inside a repetition (`{ section }`, `{ call }`, `, arg`, ...), an unexpected
 * token is skipped, with any group it opens, until the token after the
 * repetition (it ends), the start of another iteration (it goes on), or a
 * token that ends a rule on the stack (rule-level re-sync takes over). One
 * error is recorded, for the first skipped token.
 */
export function tryInRepetitionRecovery(
  p: ParserInternals,
  s: RecoveryState,
  grammarRule: (...args: unknown[]) => unknown,
  grammarRuleArgs: unknown[],
  lookAheadFunc: () => boolean,
  expected: TokenType,
): void {
  const ls = levels(p, s);
  const saved = p.exportLexerState();
  const offending = p.LA(1);
  const previous = p.LA(0);
  const saveError = () => {
    const message = p.errorMessageProvider.buildMismatchTokenMessage({
      expected,
      actual: offending,
      previous,
      ruleName: p.getCurrRuleFullName(),
    });
    p.SAVE_ERROR(new MismatchedTokenException(message, offending, previous));
  };
  const start = p.currIdx + 1;
  const home = s.brackets.depthAt(start);
  for (let i = start; ; i = p.currIdx + 1) {
    const t = tokenAt(s, i, p);
    if (t.tokenType === EOF) {
      if (tokenMatcher(t, expected)) {
        saveError();
        return;
      }
      break;
    }
    if (s.brackets.depthAt(i) === home) {
      if (tokenMatcher(t, expected)) {
        saveError();
        return;
      }
      if (lookAheadFunc.call(p)) {
        saveError();
        grammarRule.apply(p, grammarRuleArgs);
        return;
      }
    }
    if (followMatch(ls, s, i, t) !== undefined) break;
    p.SKIP_TOKEN();
  }
  // No closer point inside the repetition: the error surfaces at the next
  // parsing step, where in-rule or rule-level recovery handles it.
  p.importLexerState(saved);
}
