/**
 * Shared pieces of the variant tests: the models of specs/deep.aespec, a
 * small MNIST subset written as an NPY file (so a spec model trains a short
 * run on it through `train.data`), and plain-number views of tensors.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { loadData } from "../../../../src/data/load.js";
import { writeNpyFile } from "../../../../src/data/npy-write.js";
import type { IrModel } from "../../../../src/ir/model.js";
import type { TfModel } from "../../../../targets/tfjs/model-api.js";
import { expect } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import type { EpochMetrics } from "../../../../targets/tfjs/train/events.js";
import { train } from "../../../../targets/tfjs/train/trainer.js";
import { irOf, tempDir } from "../train/helpers.js";

const root = resolve(import.meta.dirname, "../../../..");
const deepText = readFileSync(resolve(root, "specs/deep.aespec"), "utf8");

/** A model of specs/deep.aespec, with `--set` overrides. */
export function deepModel(name: string, overrides: readonly string[] = []): IrModel {
  return irOf(deepText, overrides, name);
}

let subsetFile: Promise<string> | null = null;

/** The first `count` MNIST training images as an NPY file [count, 28, 28, 1] (written once per test file). */
export function mnistSubset(count = 64): Promise<string> {
  subsetFile ??= (async () => {
    const ir = deepModel("deep_ae");
    const loaded = await loadData(ir.train.data!, { seed: 0 });
    if (!loaded.ok) throw new Error(loaded.diagnostic.message);
    const file = join(tempDir("aespec-variants-"), "mnist.npy");
    const per = 28 * 28;
    const written = writeNpyFile(file, loaded.value.train.x.slice(0, count * per), [count, 28, 28, 1]);
    if (!written.ok) throw new Error("cannot write the MNIST subset");
    return file;
  })();
  return subsetFile;
}

/** Float64 copies of a tensor's values. */
export function numbers(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as Float32Array);
}

/** Every trainable variable's values, by name. */
export function weights(m: TfModel): Map<string, Float32Array> {
  return new Map(m.trainable.map((v) => [v.name, (v.variable.dataSync() as Float32Array).slice()]));
}

/** Copies `from`'s trainable variables into `to` (same names and shapes). */
export function copyWeights(from: TfModel, to: TfModel): void {
  for (const v of to.trainable) {
    const source = from.trainable.find((w) => w.name === v.name);
    if (source === undefined) throw new Error(`no variable ${v.name} to copy`);
    v.variable.assign(source.variable);
  }
}

/** Runs `f` inside a tidy and returns its plain result (numbers, typed arrays: tf.tidy's type allows tensors only). */
export function tidyValue<T>(f: () => T): T {
  let out: { value: T } | null = null;
  tf.tidy(() => {
    out = { value: f() };
  });
  return out!.value;
}

/**
 * A short run of specs/deep.aespec's `name` (one epoch: 4 steps on 64 MNIST
 * images): it must complete with a finite loss and move every variable.
 * Returns the epoch's metrics for further checks.
 */
export async function expectShortRunTrains(name: string): Promise<EpochMetrics> {
  const file = await mnistSubset(64);
  const ir = deepModel(name, [`train.data="${file}"`, "train.epochs=1", "train.batch=16"]);
  const initial = createModel(ir, new Rng(ir.train.seed, "init"));
  const before = weights(initial);
  initial.dispose();
  const r = await train(ir);
  try {
    expect(r.status).toBe("completed");
    expect(r.history[0]!.steps).toBe(4);
    expect(Number.isFinite(r.history[0]!.train.total)).toBe(true);
    for (const [v, w] of weights(r.model!)) expect(w, v).not.toEqual(before.get(v));
    return r.history[0]!;
  } finally {
    r.model?.dispose();
  }
}
