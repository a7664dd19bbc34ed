/**
 * A model's data written as NPY files, for a trainer outside this process
 * (the PyTorch target's package reads them with numpy's memory map): each
 * split's examples (float32, [count, ...shape]), class labels (int32,
 * [count]) and generative factors (float32, [count, factors]) where the set
 * has them, and `data.json` saying what is where. The examples are exactly
 * what aespec's own trainer loads for that spec and seed.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Dataset, Split } from "./dataset.js";
import { npyBytes, npyInt32Bytes } from "./npy-write.js";
import { fail, ok, type Result } from "./result.js";
import { writeFileAtomic } from "./write-file.js";
import { diag } from "../diagnostics/diagnostic.js";

export const DATA_MANIFEST = "data.json";

export interface SplitFiles {
  readonly count: number;
  readonly x: string;
  readonly labels: string | null;
  readonly factors: string | null;
}

export interface DataManifest {
  readonly format: "aespec-data";
  readonly version: 1;
  /** The spec's data source: its kind and arguments (`{ "kind": "sprites", "size": 64, "count": 60000 }`; a file's path as written). */
  readonly source: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** One example's shape, channels last. */
  readonly shape: readonly number[];
  readonly range: readonly [number, number] | null;
  readonly factorNames: readonly string[] | null;
  readonly train: SplitFiles;
  /** null for a data file: it is all training data (the trainer holds out its validation fraction by the seed). */
  readonly test: SplitFiles | null;
}

/** Writes the split's files and the manifest into `dir` (created if missing); `inputs` are files the command reads, never overwritten. */
export function writeSplit(
  dir: string,
  split: Split,
  meta: { readonly source: Readonly<Record<string, unknown>>; readonly seed: number },
  inputs: readonly string[] = [],
): Result<DataManifest> {
  const at = { file: dir, start: 0, end: 0 };
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false)
      return fail(diag("AE3205", `cannot write the data into '${dir}': it is not a folder`, at));
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return fail(diag("AE3205", `cannot write the data into '${dir}': ${(e as Error).message}`, at));
  }
  const parts: { name: "train" | "test"; ds: Dataset }[] = [
    { name: "train", ds: split.train },
    ...(split.test === null ? [] : [{ name: "test" as const, ds: split.test }]),
  ];
  const files: Partial<Record<"train" | "test", SplitFiles>> = {};
  for (const { name, ds } of parts) {
    const write = (file: string, bytes: Uint8Array): Result<string> => {
      const w = writeFileAtomic(join(dir, file), bytes, "AE3205", { inputs });
      return w.ok ? ok(file) : w;
    };
    const x = write(`${name}_x.npy`, npyBytes(ds.x, [ds.count, ...ds.shape]));
    if (!x.ok) return x;
    const labels = ds.labels === null ? ok(null) : write(`${name}_labels.npy`, npyInt32Bytes(ds.labels, [ds.count]));
    if (!labels.ok) return labels;
    const factors = ds.factors === null ? ok(null) : write(`${name}_factors.npy`, npyBytes(ds.factors.values, [ds.count, ds.factors.names.length]));
    if (!factors.ok) return factors;
    files[name] = { count: ds.count, x: x.value, labels: labels.value, factors: factors.value };
  }
  const manifest: DataManifest = {
    format: "aespec-data",
    version: 1,
    source: meta.source,
    seed: meta.seed,
    shape: split.train.shape,
    range: split.train.range,
    factorNames: split.train.factors?.names ?? null,
    train: files.train!,
    test: files.test ?? null,
  };
  const m = writeFileAtomic(join(dir, DATA_MANIFEST), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"), "AE3205", { inputs });
  return m.ok ? ok(manifest) : m;
}
