import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import textmate from "vscode-textmate";
import { sourceFile } from "../../src/diagnostics/span.js";
import { lex } from "../../src/syntax/lex.js";
import { KEYWORD_WORDS } from "../../grammar/tokens.js";
import { grammarFile, loadAespecGrammar } from "../../bench/textmate-grammar.js";
import { languageExamples, REPO_ROOT } from "../support/language-reference.js";

/**
 * The VS Code extension's TextMate grammar (editors/vscode/syntaxes), held to
 * aespec's own lexer: on every spec of specs/ and every example of the language
 * reference, each keyword, number, string and comment the lexer finds is
 * scoped as one, over exactly its characters, by vscode-textmate (the engine
 * VS Code runs grammars with). And the grammar passes its syntax test
 * (test/editors/fixtures) under vscode-tmgrammar-test.
 */
const GRAMMAR = grammarFile(REPO_ROOT);
const require = createRequire(import.meta.url);

/** The scopes of every character of a text (by offset). */
function scopesOf(grammar: textmate.IGrammar, text: string): string[][] {
  const out: string[][] = [];
  let state = textmate.INITIAL;
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++) out.push(t.scopes);
    out.push([]); // the newline
    state = r.ruleStack;
  }
  return out;
}

type Kind = "keyword" | "number" | "string" | "comment";
const SCOPE: Record<Kind, RegExp> = { keyword: /^keyword\./, number: /^constant\.numeric\./, string: /^string\.quoted\./, comment: /^comment\./ };

/** Every keyword, number, string and comment of a text, as aespec's lexer sees them. */
function lexed(text: string): { kind: Kind; start: number; end: number; image: string }[] {
  const l = lex(sourceFile("x", text));
  const of = (kind: Kind) => (t: { startOffset: number; image: string }) => ({
    kind,
    start: t.startOffset,
    end: t.startOffset + t.image.length,
    image: t.image,
  });
  return [
    ...l.tokens.filter((t) => KEYWORD_WORDS.includes(t.image)).map(of("keyword")),
    ...l.tokens.filter((t) => t.tokenType.name === "NUMBER").map(of("number")),
    ...l.tokens.filter((t) => t.tokenType.name === "STRING").map(of("string")),
    ...l.comments.map(of("comment")),
  ];
}

const texts: [string, string][] = [
  ...readdirSync(join(REPO_ROOT, "specs"))
    .filter((n) => n.endsWith(".aespec"))
    .map((n): [string, string] => [`specs/${n}`, readFileSync(join(REPO_ROOT, "specs", n), "utf8")]),
  ...languageExamples().map((t, i): [string, string] => [`docs/language.md example ${i + 1}`, t]),
  ["strings and numbers", 'let a = 1.5e-3\nlet b = .5\nmodel m { train { data: "a \\"b\\" c.npy" } }\n/* x\n y */\n'],
];

describe("the TextMate grammar scopes what aespec's lexer finds", async () => {
  const grammar = await loadAespecGrammar(GRAMMAR);

  it("reads the whole zoo and reference (the test sees tokens of every kind)", () => {
    const all = texts.flatMap(([, t]) => lexed(t).map((x) => x.kind));
    for (const k of Object.keys(SCOPE)) expect(all.filter((x) => x === k).length, k).toBeGreaterThan(0);
    expect(texts.length).toBeGreaterThan(10);
  });

  it.each(texts)("%s", (_name, text) => {
    const scopes = scopesOf(grammar, text);
    const wrong: string[] = [];
    for (const tok of lexed(text)) {
      for (let i = tok.start; i < tok.end; i++) {
        if (text[i] === "\n") continue;
        if (!scopes[i]!.some((s) => SCOPE[tok.kind].test(s))) {
          wrong.push(`${tok.kind} ${JSON.stringify(tok.image)} at ${tok.start}: ${scopes[i]!.join(" ")}`);
          break;
        }
      }
      // Only that token: the character after it is not in the same scope (a number does not run on).
      const after = tok.end < text.length && text[tok.end] !== "\n" && tok.kind !== "comment" && tok.kind !== "string" ? scopes[tok.end] : undefined;
      if (after?.some((s) => SCOPE[tok.kind].test(s)) === true && tok.kind !== "keyword")
        wrong.push(`${tok.kind} ${JSON.stringify(tok.image)} runs on at ${tok.end}`);
    }
    // And nothing else is called a keyword or a number: a layer named like a keyword's prefix stays a name.
    const lexedKeywordAt = new Set(
      lexed(text).flatMap((t) => (t.kind === "keyword" || t.kind === "number" ? Array.from({ length: t.end - t.start }, (_, k) => t.start + k) : [])),
    );
    const inComment = new Set(
      lexed(text).flatMap((t) => (t.kind === "comment" || t.kind === "string" ? Array.from({ length: t.end - t.start }, (_, k) => t.start + k) : [])),
    );
    scopes.forEach((s, i) => {
      if (inComment.has(i) || lexedKeywordAt.has(i)) return;
      if (s.some((x) => /^(keyword\.(declaration|other)|constant\.numeric)\./.test(x))) wrong.push(`${JSON.stringify(text[i])} at ${i} scoped ${s.join(" ")}`);
    });
    expect(wrong).toEqual([]);
  });

  it("passes its syntax test under vscode-tmgrammar-test", () => {
    const tool = join(require.resolve("vscode-tmgrammar-test/package.json"), "..", "dist", "unit.js");
    const out = execFileSync(process.execPath, [tool, "-g", GRAMMAR, join(REPO_ROOT, "test", "editors", "fixtures", "syntax-test.aespec")], {
      encoding: "utf8",
      cwd: join(REPO_ROOT, "editors", "vscode"),
    });
    expect(out).toMatch(/✓|passed/);
  });
});
