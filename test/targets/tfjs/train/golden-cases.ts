/**
 * Golden cases of the training codes (AE31xx): each compiles
 * test/golden/train/AE31xx.aespec and trains it (cpu backend, the stand-in
 * model, tiny data), returning what the trainer reported with the
 * compilation's sources. test/golden.test.ts renders them like its own cases.
 */
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { compileFile } from "../../../../src/compile.js";
import type { Code } from "../../../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../../../src/diagnostics/diagnostic.js";
import type { SourceFile } from "../../../../src/diagnostics/span.js";
import { buildModel } from "../../../../targets/tfjs/model/build.js";
import { memoryError, WASM_MEMORY_BYTES } from "../../../../targets/tfjs/train/memory-budget.js";
import { RunInUse, runInUseError } from "../../../../src/run/run-dir.js";
import { train, type TrainOptions } from "../../../../targets/tfjs/train/trainer.js";
import { standInModel, useCpu } from "./helpers.js";

interface Produced {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

const root = resolve(import.meta.dirname, "../../../..");
if (resolve(process.cwd()) !== root) throw new Error("internal: the golden cases of training run from the repository's folder");
const fixture = (code: string) => `test/golden/train/${code}.aespec`;
/**
 * Relative to the repository (the tests' working folder), so that paths in
 * messages read the same on every machine; removed after use.
 */
const scratch = (code: string) => `test/golden/train/.run-${code}`;

async function trained(code: Code, opts: TrainOptions = {}, edit?: (ir: ReturnType<typeof compileFile>) => void): Promise<Produced> {
  await useCpu();
  const c = compileFile(fixture(code));
  if (!c.ok) throw new Error(`golden fixture ${code} does not compile`);
  edit?.(c);
  const r = await train(c.models[0]!, { buildModel: standInModel, ...opts });
  r.model?.dispose();
  return { diagnostics: r.diagnostics, sources: c.sources };
}

/** The run of AE3104's fixture with its first learning rate, then the resume with the fixture as written. */
async function changedSpec(): Promise<Produced> {
  const dir = scratch("AE3104");
  rmSync(dir, { recursive: true, force: true });
  try {
    await useCpu();
    const first = compileFile(fixture("AE3104"));
    const ir = first.models[0]!;
    const original = { ...ir, train: { ...ir.train, optimizer: { ...ir.train.optimizer, lr: 1e-2 } } };
    const { resumeKey } = await import("../../../../src/run/resume-key.js");
    const { modelHash } = await import("../../../../src/ir/hash.js");
    const hashed = { ...original, hash: modelHash(original) };
    if (resumeKey(hashed) === resumeKey(ir)) throw new Error("internal: the two specs of AE3104 do not differ");
    (await train(hashed, { buildModel: standInModel, outDir: dir })).model?.dispose();
    return await trained("AE3104", { outDir: dir, resume: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const TRAIN_GOLDEN_CASES: Partial<Record<Code, () => Promise<Produced>>> = {
  AE3008: () => trained("AE3008"),
  AE3101: () => trained("AE3101"),
  AE3102: () => trained("AE3102"),
  AE3103: () => trained("AE3103"),
  AE3104: changedSpec,
  AE3105: async () => {
    if (existsSync(scratch("AE3105"))) throw new Error("internal: the AE3105 scratch folder exists");
    return trained("AE3105", { outDir: scratch("AE3105"), resume: true });
  },
  AE3106: () => trained("AE3106", { outDir: fixture("AE3106") }),
  AE3107: () => trained("AE3107"),
  AE3108: () => trained("AE3108"),
  // The stand-in model has no discriminator: the real builder makes it.
  AE3109: () => trained("AE3109", { buildModel }),
  // the refusal a second writer gets (test/targets/tfjs/train/kill-resume.test.ts makes it happen)
  AE3110: async () => ({ diagnostics: [runInUseError("runs/vae", new RunInUse(4242))], sources: new Map() }),
  // the wasm backend's limit, whatever backend the tests run on
  AE3111: async () => {
    const c = compileFile("test/fixtures/memory/vq-1e8.aespec");
    const d = memoryError(c.models[0]!, { name: "the wasm backend (WebAssembly memory)", bytes: WASM_MEMORY_BYTES });
    return { diagnostics: d === null ? [] : [d], sources: c.sources };
  },
};
