import type { CstNode, IRecognitionException, IToken, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { syntaxErrorMessages } from "./messages.js";
import {
  Brackets,
  canRecoverWithSingleTokenInsertion,
  findReSyncTokenType,
  isInCurrentRuleReSyncSet,
  reSyncTo,
  tryInRepetitionRecovery,
  type ParserInternals,
  type RecoveryState,
} from "./recovery.js";
import {
  ALL_TOKENS,
  Bottleneck,
  Colon,
  Comma,
  Corrupt,
  Decoder,
  Encoder,
  Equals,
  Extends,
  In,
  Input,
  LBracket,
  LCurly,
  Let,
  Loss,
  LParen,
  Minus,
  Model,
  NAME,
  NUMBER,
  Plus,
  Prior,
  RBracket,
  RCurly,
  RParen,
  Slash,
  Star,
  STRING,
  Train,
} from "./tokens.js";

/**
 * The grammar of docs/language.md as a Chevrotain CstParser, free of semantic
 * actions: it only recognises and builds a CST (src/syntax/build-ast.ts turns
 * that into the AST). Rule names are docs/language.md's, and grammar/aespec.ebnf is
 * generated from these rules (a test keeps the two equal).
 *
 * LABELs only rename CST children where one rule holds the same token or rule
 * in two roles (a model's name and its base); they do not change the grammar.
 */
export class AespecParser extends CstParser {
  /**
   * Errors after which parsing stops with TooManySyntaxErrors. Chevrotain
   * re-enters a repetition recursively after each re-sync, so without a cap a
   * file of many thousand mistakes would overflow the stack.
   */
  public maxErrors = 100;

  constructor() {
    super([...ALL_TOKENS], { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: syntaxErrorMessages });
    this.performSelfAnalysis();
  }

  private readonly recovery: RecoveryState = { brackets: new Brackets([]), ruleStart: [], resyncAt: 0 };

  /** Parses `tokens` from a start rule (the parser is reused: this resets it). */
  run(tokens: IToken[], rule: "file" | "value"): CstNode {
    this.input = tokens;
    this.recovery.brackets = new Brackets(tokens);
    return rule === "file" ? this.file() : this.value();
  }

  /** Drops the last input, so that the tokens of a large file can be collected. */
  release(): void {
    this.input = [];
    this.recovery.brackets = new Brackets([]);
  }

  // --- Chevrotain internals: the error cap and bracket-aware recovery (recovery.ts) ---

  private get internals(): ParserInternals {
    return this as unknown as ParserInternals;
  }

  /** Every syntax error passes here. */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    const saved = (CstParser.prototype as unknown as Overridden).SAVE_ERROR.call(this, error);
    // (not from the end-of-parse check, which Chevrotain runs in a `finally`)
    if (this.errors.length >= this.maxErrors && error.name !== "NotAllInputParsedException") throw new TooManySyntaxErrors();
    return saved;
  }

  /** Every rule invocation passes here: remember where the rule began. */
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void {
    (CstParser.prototype as unknown as Overridden).ruleInvocationStateUpdate.call(this, shortName, fullName, idxInCallingRule);
    this.recovery.ruleStart[this.internals.RULE_STACK_IDX] = this.internals.currIdx + 1;
  }

  findReSyncTokenType(): TokenType {
    return findReSyncTokenType(this.internals, this.recovery);
  }

  isInCurrentRuleReSyncSet(type: TokenType): boolean {
    return isInCurrentRuleReSyncSet(this.internals, this.recovery, type);
  }

  reSyncTo(_type: TokenType): IToken[] {
    return reSyncTo(this.internals, this.recovery);
  }

  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    return canRecoverWithSingleTokenInsertion(this.internals, this.recovery, expected, follows);
  }

  tryInRepetitionRecovery(rule: (...a: unknown[]) => unknown, args: unknown[], lookahead: () => boolean, expected: TokenType): void {
    tryInRepetitionRecovery(this.internals, this.recovery, rule, args, lookahead, expected);
  }

  // file = { let | model }
  public readonly file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.let) }, { ALT: () => this.SUBRULE(this.model) }]);
    });
  });

  // let = "let" NAME "=" expr
  public readonly let = this.RULE("let", () => {
    this.CONSUME(Let);
    this.CONSUME(NAME);
    this.CONSUME(Equals);
    this.SUBRULE(this.expr);
  });

  // model = "model" NAME [ "extends" NAME ] "{" { section } "}"
  public readonly model = this.RULE("model", () => {
    this.CONSUME(Model);
    this.CONSUME1(NAME, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(Extends);
      this.CONSUME2(NAME, { LABEL: "base" });
    });
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.section));
    this.CONSUME(RCurly);
  });

  public readonly section = this.RULE("section", () => {
    this.OR([
      {
        // "input" ":" shape [ "in" "[" expr "," expr "]" ]
        ALT: () => {
          this.CONSUME(Input);
          this.CONSUME1(Colon);
          this.SUBRULE(this.shape);
          this.OPTION(() => {
            this.CONSUME(In);
            this.CONSUME(LBracket);
            this.SUBRULE1(this.expr, { LABEL: "low" });
            this.CONSUME(Comma);
            this.SUBRULE2(this.expr, { LABEL: "high" });
            this.CONSUME(RBracket);
          });
        },
      },
      {
        // "corrupt" ":" call
        ALT: () => {
          this.CONSUME(Corrupt);
          this.CONSUME2(Colon);
          this.SUBRULE1(this.call);
        },
      },
      {
        // "encoder" layers
        ALT: () => {
          this.CONSUME(Encoder);
          this.SUBRULE1(this.layers);
        },
      },
      {
        // "bottleneck" ":" call [ "{" { call } "}" ]
        ALT: () => {
          this.CONSUME(Bottleneck);
          this.CONSUME3(Colon);
          this.SUBRULE2(this.call);
          this.OPTION2(() => {
            this.CONSUME1(LCurly);
            this.MANY1(() => this.SUBRULE3(this.call, { LABEL: "block" }));
            this.CONSUME1(RCurly);
          });
        },
      },
      {
        // "decoder" layers
        ALT: () => {
          this.CONSUME(Decoder);
          this.SUBRULE2(this.layers);
        },
      },
      {
        // "prior" ":" call
        ALT: () => {
          this.CONSUME(Prior);
          this.CONSUME4(Colon);
          this.SUBRULE4(this.call);
        },
      },
      {
        // "loss" "{" { call [ layers ] } "}"
        ALT: () => {
          this.CONSUME(Loss);
          this.CONSUME2(LCurly);
          this.MANY2(() => {
            this.SUBRULE5(this.call, { LABEL: "term" });
            this.OPTION3(() => this.SUBRULE3(this.layers, { LABEL: "termBlock" }));
          });
          this.CONSUME2(RCurly);
        },
      },
      {
        // "train" "{" { NAME ":" value } "}"
        ALT: () => {
          this.CONSUME(Train);
          this.CONSUME3(LCurly);
          this.MANY3(() => {
            this.CONSUME(NAME, { LABEL: "setting" });
            this.CONSUME5(Colon);
            this.SUBRULE(this.value);
          });
          this.CONSUME3(RCurly);
        },
      },
    ]);
  });

  // layers = "{" { call } "}"
  public readonly layers = this.RULE("layers", () => {
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.call));
    this.CONSUME(RCurly);
  });

  // call = NAME [ "(" [ arg { "," arg } ] ")" ]
  public readonly call = this.RULE("call", () => {
    this.CONSUME(NAME);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        this.SUBRULE1(this.arg);
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.arg);
        });
      });
      this.CONSUME(RParen);
    });
  });

  // arg = [ NAME ":" ] value   (LL(2): `name:` against a value that starts with a name)
  public readonly arg = this.RULE("arg", () => {
    this.OPTION(() => {
      this.CONSUME(NAME);
      this.CONSUME(Colon);
    });
    this.SUBRULE(this.value);
  });

  // value = expr | shape | STRING
  public readonly value = this.RULE("value", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.expr) }, { ALT: () => this.SUBRULE(this.shape) }, { ALT: () => this.CONSUME(STRING) }]);
  });

  // shape = "[" expr { "," expr } "]"
  public readonly shape = this.RULE("shape", () => {
    this.CONSUME(LBracket);
    this.SUBRULE1(this.expr);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expr);
    });
    this.CONSUME(RBracket);
  });

  // expr = term { ( "+" | "-" ) term }
  public readonly expr = this.RULE("expr", () => {
    this.SUBRULE1(this.term);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus, { LABEL: "op" }) }, { ALT: () => this.CONSUME(Minus, { LABEL: "op" }) }]);
      this.SUBRULE2(this.term);
    });
  });

  // term = unary { ( "*" | "/" ) unary }
  public readonly term = this.RULE("term", () => {
    this.SUBRULE1(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Star, { LABEL: "op" }) }, { ALT: () => this.CONSUME(Slash, { LABEL: "op" }) }]);
      this.SUBRULE2(this.unary);
    });
  });

  // unary = [ "-" ] primary
  public readonly unary = this.RULE("unary", () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.SUBRULE(this.primary);
  });

  // primary = NUMBER | call | "(" expr ")"
  public readonly primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(NUMBER) },
      { ALT: () => this.SUBRULE(this.call) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(RParen);
        },
      },
    ]);
  });
}

/** The Chevrotain methods overridden above, as found on its prototype. */
interface Overridden {
  SAVE_ERROR(this: AespecParser, error: IRecognitionException): IRecognitionException;
  ruleInvocationStateUpdate(this: AespecParser, shortName: number, fullName: string, idxInCallingRule: number): void;
}

/** Thrown out of a start rule once `maxErrors` errors are recorded; `errors` still holds them. */
export class TooManySyntaxErrors extends Error {
  constructor() {
    super("too many syntax errors");
    this.name = "TooManySyntaxErrors";
  }
}

/** Built once: constructing a Chevrotain parser analyses the whole grammar. */
export const aespecParser = new AespecParser();

export type { CstNode };
