/**
 * The standalone Python package `aespec compile --emit pytorch -o DIR` writes,
 * and `aespec train --target pytorch` writes into RUN/pytorch and runs:
 *
 *   model.py          generated from the IR (model-code.ts)
 *   aespec.json       the model's name, IR hash, resume key, the IR's parameter table, the data files
 *   ir.json, spec.aespec   the IR and the spec as trained (copied into the run directory)
 *   train.py          the entry point: python3 train.py --out RUN
 *   README.md         the exact commands
 *   aespec_torch/     the runtime, copied from runtime/aespec_torch
 *   data/             train.npy and validation.npy: exactly the examples the tfjs target trains and validates on
 */
import { AESPEC_VERSION } from "../../src/version.js";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Dataset } from "../../src/data/dataset.js";
import { splitRangeError } from "../../src/data/range-check.js";
import { loadData } from "../../src/data/load.js";
import { npyBytes } from "../../src/data/npy-write.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import { Rng } from "../../src/data/rng.js";
import { splitValidation } from "../../src/data/split.js";
import { writeFileAtomic } from "../../src/data/write-file.js";
import { diag } from "../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../src/ir/model.js";
import { checkpointTensors } from "../../src/ir/parameters.js";
import { resumeKey } from "../../src/run/resume-key.js";
import { modelCode } from "./model-code.js";
import { readmeText } from "./readme.js";

export const PACKAGE_MANIFEST = "aespec.json";
const RUNTIME = "aespec_torch";

export interface PackageRequest {
  /** The package's folder (created if missing; a folder of other files is refused). */
  readonly dir: string;
  readonly specText: string;
  /** Files the command reads, which no output may replace. */
  readonly inputs: readonly string[];
  /** Set when the package goes inside this run directory (RUN/pytorch). */
  readonly runDir?: string;
  /** Without data/ (the tests of the generated code). */
  readonly withoutData?: boolean;
}

export interface PackageInfo {
  readonly dir: string;
  readonly files: readonly string[];
  readonly trainExamples: number;
  readonly validationExamples: number;
}

/** The runtime's Python files, beside this module in the sources and in dist (the build copies them). */
function runtimeFiles(): { name: string; text: string }[] {
  const dir = fileURLToPath(new URL(`./runtime/${RUNTIME}/`, import.meta.url));
  return readdirSync(dir)
    .filter((n) => n.endsWith(".py"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

const TRAIN_PY = `#!/usr/bin/env python3
"""Trains this package's model into a run directory: python3 train.py --out RUN (see README.md)."""
import sys

from aespec_torch.trainer import main

if __name__ == "__main__":
    sys.exit(main())
`;

/** The examples the tfjs target trains and validates on: the training split less the held-out validation fraction, by the seed. */
export async function trainingData(ir: IrModel): Promise<Result<{ train: Dataset; validation: Dataset | null }>> {
  const data = ir.train.data;
  if (data === null) return fail(diag("AE3101", `model '${ir.name}' names no training data`, ir.span, { hint: "add `data: ...` to its train section" }));
  const loaded = await loadData(data, { seed: ir.train.seed });
  if (!loaded.ok) return loaded;
  const outside = splitRangeError(loaded.value, ir.input, data);
  if (outside !== null) return fail(outside);
  const all = loaded.value.train;
  if (ir.train.validation <= 0) return ok({ train: all, validation: null });
  const s = splitValidation(all, ir.train.validation, new Rng(ir.train.seed, "validation"));
  return ok({ train: s.train, validation: s.validation.count > 0 ? s.validation : null });
}

function folderProblem(dir: string): string | null {
  if (!existsSync(dir)) return null;
  if (!statSync(dir).isDirectory()) return "it is not a folder";
  const names = readdirSync(dir);
  if (names.length > 0 && !names.includes(PACKAGE_MANIFEST))
    return "it holds files that are not an aespec package (a package folder is empty or one aespec wrote)";
  return null;
}

export async function writePackage(ir: IrModel, req: PackageRequest): Promise<Result<PackageInfo>> {
  const at = { file: req.dir, start: 0, end: 0 };
  const problem = folderProblem(req.dir);
  if (problem !== null) return fail(diag("AE3205", `cannot write the PyTorch package into '${req.dir}': ${problem}`, at, { hint: "give -o a new folder" }));
  const data = req.withoutData === true ? ok(null) : await trainingData(ir);
  if (!data.ok) return data;
  const files: { path: string; bytes: string | Uint8Array }[] = [];
  const add = (path: string, bytes: string | Uint8Array) => files.push({ path, bytes });
  const d = data.value;
  const manifest = {
    format: "aespec-pytorch-package",
    version: 1,
    aespec: AESPEC_VERSION,
    model: ir.name,
    irHash: ir.hash,
    resumeKey: resumeKey(ir),
    parameters: checkpointTensors(ir).map((p) => ({ name: p.name, shape: p.shape, layout: p.layout, trainable: p.trainable })),
    data: d === null ? null : { train: "train.npy", validation: d.validation === null ? null : "validation.npy" },
  };
  add("model.py", modelCode(ir));
  add(PACKAGE_MANIFEST, JSON.stringify(manifest, null, 1) + "\n");
  add("ir.json", JSON.stringify(ir, null, 2) + "\n");
  add("spec.aespec", req.specText);
  add("train.py", TRAIN_PY);
  add("README.md", readmeText(ir, d === null ? null : { train: d.train.count, validation: d.validation?.count ?? 0 }));
  for (const f of runtimeFiles()) add(`${RUNTIME}/${f.name}`, f.text);
  if (d !== null) {
    add("data/train.npy", npyBytes(d.train.x, [d.train.count, ...d.train.shape]));
    if (d.validation !== null) add("data/validation.npy", npyBytes(d.validation.x, [d.validation.count, ...d.validation.shape]));
  }
  try {
    for (const sub of ["", RUNTIME, ...(d === null ? [] : ["data"])]) mkdirSync(join(req.dir, sub), { recursive: true });
  } catch (e) {
    return fail(diag("AE3205", `cannot write the PyTorch package into '${req.dir}': ${(e as Error).message}`, at));
  }
  const opts = { inputs: req.inputs, ...(req.runDir === undefined ? {} : { runDir: req.runDir }) };
  for (const f of files) {
    const w = writeFileAtomic(join(req.dir, f.path), f.bytes, "AE3205", opts);
    if (!w.ok) return w;
  }
  return ok({
    dir: resolve(req.dir),
    files: files.map((f) => f.path),
    trainExamples: d?.train.count ?? 0,
    validationExamples: d?.validation?.count ?? 0,
  });
}
