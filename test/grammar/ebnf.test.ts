import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CstParser, createToken } from "../../grammar/chevrotain.js";
import { aespecEbnf, grammarToEbnf } from "../../grammar/ebnf.js";
import { languageText } from "../support/language-reference.js";

const root = resolve(import.meta.dirname, "../..");
const EBNF = resolve(root, "grammar/aespec.ebnf");

/** `name -> body` with whitespace collapsed and the `;` terminator dropped. */
function rules(ebnf: string): Map<string, string> {
  const text = ebnf.replace(/\(\*[\s\S]*?\*\)/g, "");
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^(\w+)\s*=([\s\S]*?)(?=^\w+\s*=|(?![\s\S]))/gm)) {
    out.set(m[1]!, m[2]!.replace(/;\s*$/, "").replace(/\s+/g, " ").trim());
  }
  return out;
}

describe("the reference grammar", () => {
  const generated = aespecEbnf();

  it("grammar/aespec.ebnf is what the parser's grammar generates", () => {
    if (process.env["UPDATE_EBNF"] === "1") writeFileSync(EBNF, generated);
    const checkedIn = existsSync(EBNF) ? readFileSync(EBNF, "utf8") : "(missing)";
    expect(checkedIn, "grammar/aespec.ebnf is stale: run `UPDATE_EBNF=1 npx vitest run test/grammar` and review the diff").toBe(generated);
  });

  it("is the grammar docs/language.md shows, rule for rule", () => {
    const md = languageText();
    const block = [...md.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => /^file\s+=/.test(b));
    expect(block, "docs/language.md has a grammar block starting with `file =`").toBeDefined();
    const documented = rules(block!);
    const actual = rules(generated);
    expect([...actual.keys()]).toEqual([...documented.keys()]);
    for (const [name, body] of documented) expect(actual.get(name), name).toBe(body);
  });

  it("writes `rule = ... ;` lines, aligned, with one alternative per line when long", () => {
    const lines = generated.split("\n");
    expect(lines).toContain('let        = "let" NAME "=" expr ;');
    expect(lines).toContain("value      = expr | shape | STRING ;");
    expect(lines).toContain('expr       = term { ( "+" | "-" ) term } ;');
    const section = lines.findIndex((l) => l.startsWith("section    = "));
    expect(lines[section + 1]).toBe('           | "corrupt" ":" call');
    expect(lines[section + 7]).toBe('           | "train" "{" { NAME ":" value } "}" ;');
  });
});

describe("grammarToEbnf", () => {
  const Word = createToken({ name: "NAME", pattern: /[a-z]+/ });
  const Comma = createToken({ name: "Comma", pattern: "," });
  const Semi = createToken({ name: "Colon", pattern: ":" });

  class Tiny extends CstParser {
    constructor() {
      super([Word, Comma, Semi]);
      this.performSelfAnalysis();
    }
    readonly list = this.RULE("list", () => {
      this.AT_LEAST_ONE(() => this.CONSUME(Word));
      this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.item) });
      this.AT_LEAST_ONE_SEP({ SEP: Semi, DEF: () => this.CONSUME2(Word) });
    });
    readonly item = this.RULE("item", () => {
      this.OPTION(() => this.CONSUME(Semi));
      this.CONSUME(Word);
    });
  }

  it("renders mandatory and separated repetitions with the aespec token names", () => {
    expect(grammarToEbnf(new Tiny().getSerializedGastProductions())).toBe(
      ['list       = NAME { NAME } [ item { "," item } ] NAME { ":" NAME } ;', 'item       = [ ":" ] NAME ;', ""].join("\n"),
    );
  });
});
