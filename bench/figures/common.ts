/**
 * Shared pieces of the variant figures (`npm run figures`): a spec model with
 * overrides, trained in memory on the default backend, and its data set's
 * test split, evaluated in batches. Figures print; they assert nothing.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "../../src/data/dataset.js";
import { loadData } from "../../src/data/load.js";
import type { IrModel } from "../../src/ir/model.js";
import { compileModel, selectBackend, train, type TfModel } from "../../targets/tfjs/index.js";
import { batchTensor } from "../../targets/tfjs/train/batches.js";

export const root = resolve(import.meta.dirname, "../../..");

/** The IR of `model` in specs/`file`, with `--set` overrides; throws if it does not compile. */
export function specModel(file: string, model: string, overrides: readonly string[] = []): IrModel {
  const path = resolve(root, "specs", file);
  const c = compileModel(readFileSync(path, "utf8"), { file: path, model, overrides });
  if (!c.ok) throw new Error(`${file}/${model} does not compile: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return c.model;
}

let backendReady: Promise<string> | null = null;

/** The backend `aespec train` would pick; its description. */
export function backend(): Promise<string> {
  backendReady ??= selectBackend().then((b) => `${b.name}: ${b.detail}`);
  return backendReady;
}

/** Trains in memory (nothing written) and returns the trained model; prints one line per epoch. */
export async function trainModel(ir: IrModel): Promise<TfModel> {
  await backend();
  const t0 = performance.now();
  const r = await train(ir, {
    onEpoch: (m) => console.log(`    ${ir.name} epoch ${m.epoch}/${ir.train.epochs}: loss ${m.train.total.toFixed(3)} (${m.seconds.toFixed(1)} s)`),
  });
  if (r.model === null || (r.status !== "completed" && r.status !== "early_stopped")) {
    throw new Error(`training ${ir.name} ended ${r.status}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  }
  console.log(`    ${ir.name}: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r.model;
}

/** The test split of the model's data set (built-in sets only). */
export async function testSet(ir: IrModel): Promise<Dataset> {
  const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!loaded.ok) throw new Error(loaded.diagnostic.message);
  if (loaded.value.test === null) throw new Error(`${ir.name}: its data has no test split`);
  return loaded.value.test;
}

/**
 * Runs `f` on every batch of `ds` (in order, at most `limit` examples) inside
 * a tidy; `f` returns per-batch sums that are added up in float64.
 */
export async function overBatches(ds: Dataset, batch: number, f: (x: tf.Tensor, start: number) => tf.Tensor1D, limit = ds.count): Promise<Float64Array> {
  let total: Float64Array | null = null;
  const count = Math.min(limit, ds.count);
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    const sums = tf.tidy(() => {
      const x = batchTensor(ds, null, start, end);
      return f(x, start);
    });
    const data = await sums.data();
    sums.dispose();
    total ??= new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) total[i]! += data[i]!;
  }
  return total ?? new Float64Array(0);
}

/** A fixed-width table row. */
export function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 12)).join("  ");
}
