/**
 * The generated code of the PyTorch target: model.py and README.md of every model of specs/ it trains and of
 * the two family models are golden files (test/targets/pytorch/golden/; `UPDATE_GOLDEN=1` rewrites them:
 * review the diff), so every change to the generator shows as a diff; and every generated package, its
 * runtime included, passes `python3 -m py_compile` and pyflakes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../../targets/tfjs/index.js";
import { unsupportedByPytorch } from "../../../targets/pytorch/support.js";
import { writePackage } from "../../../targets/pytorch/package.js";
import type { IrModel } from "../../../src/ir/model.js";
import { tempDir } from "../../support/temp-dir.js";
import { familiesFile, SPEC_CASES } from "./parity-cases.js";
import { pythonTorch } from "./python-torch.js";

const root = resolve(import.meta.dirname, "../../..");
const goldenDir = join(import.meta.dirname, "golden");
const update = process.env["UPDATE_GOLDEN"] === "1";

function compiled(file: string, model: string): IrModel {
  const c = compileModel(readFileSync(resolve(root, file), "utf8"), { file, model });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  expect(unsupportedByPytorch(c.model)).toEqual([]);
  return c.model;
}

/** The families' spec lives in a temporary folder beside its data; its generated files name it as families.aespec. */
const families = familiesFile();
const CASES: { name: string; ir: () => IrModel; display?: [string, string] }[] = [
  ...SPEC_CASES.map((c) => ({ name: c.model, ir: () => compiled(`specs/${c.file}`, c.model) })),
  ...["conv_family", "vq_family"].map((m) => ({ name: m, ir: () => compiled(families, m), display: [families, "families.aespec"] as [string, string] })),
];

function compareGolden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`missing golden file ${path}: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual, name).toBe(readFileSync(path, "utf8"));
}

const packages: string[] = [];

describe("the PyTorch target's generated packages", () => {
  for (const c of CASES) {
    it(`${c.name}: model.py and README.md as in the golden files`, async () => {
      const dir = join(tempDir("aespec-generated-"), c.name);
      const pkg = await writePackage(c.ir(), { dir, specText: "", inputs: [], withoutData: true });
      if (!pkg.ok) throw new Error(pkg.diagnostic.message);
      packages.push(dir);
      for (const f of ["model.py", "README.md"]) {
        const text = readFileSync(join(dir, f), "utf8");
        compareGolden(`${c.name}.${f}`, c.display === undefined ? text : text.split(c.display[0]).join(c.display[1]));
      }
    });
  }

  it.skipIf(pythonTorch() === null)("every one passes py_compile and pyflakes, runtime included", () => {
    expect(packages.length).toBe(CASES.length);
    const python = pythonTorch()!.executable;
    const script = [
      "import sys, py_compile, pathlib",
      "from pyflakes.api import checkRecursive",
      "from pyflakes.reporter import _makeDefaultReporter",
      "files = [p for d in sys.argv[1:] for p in pathlib.Path(d).rglob('*.py')]",
      "for f in files: py_compile.compile(str(f), doraise=True)",
      "warnings = checkRecursive(sys.argv[1:], _makeDefaultReporter())",
      "print(len(files), warnings)",
    ].join("\n");
    const hasPyflakes = spawnSync(python, ["-c", "import pyflakes"]).status === 0;
    if (!hasPyflakes && process.env["CI"] === "true") throw new Error(`${python} has no pyflakes in CI: apt-get install -y python3-pyflakes`);
    if (!hasPyflakes) return console.log(`skipped: ${python} has no pyflakes; apt-get install -y python3-pyflakes`);
    const r = spawnSync(python, ["-c", script, ...packages], { encoding: "utf8" });
    expect(r.stderr + r.stdout).not.toMatch(/Error|imported but unused|undefined name|redefinition/);
    expect(r.status).toBe(0);
    const [files, warnings] = r.stdout.trim().split(" ").map(Number);
    expect(files).toBeGreaterThanOrEqual(CASES.length * 3);
    expect(warnings).toBe(0);
  });
});
