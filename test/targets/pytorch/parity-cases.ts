/**
 * The models the parity tests run (parity-*.test.ts): every model of specs/ the PyTorch target trains, on a
 * few examples in small batches (the cpu backend is slow on MNIST-sized layers; 50 steps still cross three
 * epoch boundaries), and two synthetic models that hold every other family of the language.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { npyBytes } from "../../../src/data/npy-write.js";
import { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { compileModel } from "../../../targets/tfjs/index.js";
import { unsupportedByPytorch } from "../../../targets/pytorch/support.js";
import { useCpu } from "../tfjs/train/helpers.js";
import { tempDir } from "../../support/temp-dir.js";
import { parity } from "./parity-harness.js";
import { pythonTorch } from "./python-torch.js";

const root = resolve(import.meta.dirname, "../../..");
const TOLERANCE = 1e-4;
const SMALL = ["train.batch=4", "train.epochs=4"];

export const SPEC_CASES: { file: string; model: string; set: string[] }[] = [
  { file: "linear.aespec", model: "linear_ae", set: ["train.data=lowrank(dim: 64, rank: 8, count: 64)"] },
  { file: "deep.aespec", model: "deep_ae", set: ["train.data=mnist(count: 64)"] },
  { file: "deep.aespec", model: "denoising", set: ["train.data=mnist(count: 64)"] },
  { file: "deep.aespec", model: "masked", set: ["train.data=mnist(count: 64)"] },
  { file: "deep.aespec", model: "contractive", set: ["train.data=mnist(count: 64)"] },
  { file: "vae.aespec", model: "vae", set: ["train.data=mnist(count: 64)"] },
  { file: "vae.aespec", model: "beta_vae", set: ["train.data=sprites(size: 28, count: 64)"] },
  { file: "vqvae.aespec", model: "vqvae", set: ["train.data=mnist(count: 64)"] },
  { file: "adversarial.aespec", model: "wae", set: ["train.data=mnist(count: 64)"] },
];

/** Every other family of the language, in two models (see the file). */
export const FAMILIES = readFileSync(join(import.meta.dirname, "families.aespec"), "utf8");

/** families.aespec in a folder of its own, beside its data. */
export function familiesFile(): string {
  const dir = tempDir("aespec-families-");
  const rng = new Rng(11, "cubes");
  const x = Float32Array.from({ length: 200 * 8 * 8 * 2 }, () => rng.next());
  writeFileSync(join(dir, "cubes.npy"), npyBytes(x, [200, 8, 8, 2]));
  const file = join(dir, "families.aespec");
  writeFileSync(file, FAMILIES);
  return file;
}

function ir(text: string, file: string, model: string, set: readonly string[]): IrModel {
  const c = compileModel(text, { file, model, overrides: [...set] });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  expect(unsupportedByPytorch(c.model)).toEqual([]);
  return c.model;
}

export interface ParityCase {
  readonly name: string;
  readonly ir: () => IrModel;
}

export function specCase(file: string, model: string): ParityCase {
  const c = SPEC_CASES.find((s) => s.file === file && s.model === model);
  if (c === undefined) throw new Error(`no parity case ${file} ${model}`);
  const path = join(root, "specs", file);
  return { name: `specs/${file} ${model}`, ir: () => ir(readFileSync(path, "utf8"), path, model, [...SMALL, ...c.set]) };
}

export function familyCase(model: "conv_family" | "vq_family"): ParityCase {
  return {
    name: model,
    ir: () => {
      const file = familiesFile();
      return ir(readFileSync(file, "utf8"), file, model, []);
    },
  };
}

/** One test per case: both targets' first 50 step losses within TOLERANCE relative, each value of each step. */
export function parityTests(cases: readonly ParityCase[]): void {
  describe.skipIf(pythonTorch() === null)("the tfjs and PyTorch targets take the same first 50 steps", () => {
    beforeAll(useCpu);
    for (const c of cases) {
      it(
        c.name,
        async () => {
          const p = await parity(c.ir());
          console.log(`parity ${c.name}: worst relative difference ${p.worst.relative.toExponential(2)} (step ${p.worst.step}, value ${p.worst.index})`);
          expect(p.pytorch.length).toBe(50);
          expect(p.worst.relative, `step ${p.worst.step}, value ${p.worst.index}: ${p.tfjs[p.worst.step]} vs ${p.pytorch[p.worst.step]}`).toBeLessThanOrEqual(
            TOLERANCE,
          );
        },
        120_000,
      );
    }
  });
}
