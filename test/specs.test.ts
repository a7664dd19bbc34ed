import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, compileFile } from "../src/compile.js";
import { languageExamples } from "./support/language-reference.js";

/**
 * specs/ is the model zoo: every example of docs/language.md lives there and checks
 * clean, and the error examples live in test/fixtures/language, failing where marked.
 */
const root = resolve(import.meta.dirname, "..");
const blocks = languageExamples();
const specFiles = readdirSync(join(root, "specs"))
  .filter((f) => f.endsWith(".aespec"))
  .map((f) => join(root, "specs", f));
const marked = (b: string) => /\/\/ (error|warning) here/.test(b);

describe("specs/", () => {
  const specs = specFiles.map((f) => ({ f, c: compileFile(f) }));

  it.each(specFiles.map((f) => [f.slice(root.length + 1)]))("%s checks clean, without warnings", (f) => {
    const c = specs.find((s) => s.f.endsWith(f))!.c;
    expect(c.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(c.models.length).toBeGreaterThan(0);
  });

  it("holds every example model of docs/language.md, unchanged (same IR hash)", () => {
    const zoo = new Map(specs.flatMap((s) => s.c.models.map((m) => [m.name, m.hash] as const)));
    const examples = blocks.filter((b) => !marked(b)).flatMap((b) => compile(b).models);
    expect(examples.length).toBe(11);
    for (const m of examples) expect([m.name, zoo.get(m.name)]).toEqual([m.name, m.hash]);
  });
});

describe("docs/language.md's error and warning examples as fixtures", () => {
  const fixtureDir = join(root, "test/fixtures/language");
  const fixtures = readdirSync(fixtureDir).map((f) => readFileSync(join(fixtureDir, f), "utf8"));

  it("are exactly the marked blocks of docs/language.md", () => {
    expect([...fixtures].sort()).toEqual(blocks.filter(marked).sort());
  });

  it.each(fixtures.map((t) => [t.split("\n")[0]!, t]))("%s fails (or warns) at the marked line", (_, text) => {
    const c = compile(text, { file: "fixture.aespec" });
    const lines = text.split("\n");
    const mark = lines.findIndex((l) => /\/\/ (error|warning) here/.test(l));
    const severity = /\/\/ error here/.test(lines[mark]!) ? "error" : "warning";
    const at = c.diagnostics.filter((d) => d.severity === severity);
    expect(at.length).toBe(1);
    const line = text.slice(0, at[0]!.span.start).split("\n").length - 1;
    expect(line).toBe(mark);
    expect(c.ok).toBe(severity === "warning");
    if (severity === "warning") expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
