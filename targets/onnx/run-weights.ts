/**
 * A trained run's IR and weights, read as plain typed arrays (no tfjs):
 * RUN/ir.json and RUN/checkpoint/{checkpoint.json, weights.bin} as the tfjs
 * target's checkpoint writes them (checkpoint.old while a swap is under way),
 * or RUN/best/ where early stopping kept the best epoch's.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { diag } from "../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../src/ir/model.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import { verifiedBinary } from "../../src/run/checkpoint-files.js";
import { readRunIr } from "../../src/run/run-ir.js";
import type { WeightTensor, Weights } from "./weights.js";

export interface RunWeights {
  readonly ir: IrModel;
  readonly weights: Weights;
}

export function readRunWeights(runDir: string): Result<RunWeights> {
  const at = { file: runDir, start: 0, end: 0 };
  const refuse = (why: string) => fail<RunWeights>(diag("AE3202", `cannot export '${runDir}': ${why}`, at, { hint: "give the folder `aespec train --out` wrote" }));
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) return refuse("there is no such folder");
  const ir = readRunIr(runDir);
  if (typeof ir === "string") return refuse(ir);
  // The run's result: with early stopping its best epoch (best/), else its last checkpoint.
  const folder = ["best", "best.old", "checkpoint", "checkpoint.old"].map((f) => join(runDir, f)).find((f) => existsSync(join(f, "checkpoint.json")));
  if (folder === undefined) return refuse("it holds no checkpoint");
  let manifest: { irHash?: unknown; weights?: { tensors?: unknown } };
  try {
    manifest = JSON.parse(readFileSync(join(folder, "checkpoint.json"), "utf8")) as typeof manifest;
  } catch (e) {
    return refuse(`its checkpoint.json cannot be read: ${(e as Error).message}`);
  }
  const bin = verifiedBinary(folder, "weights.bin", manifest);
  if (typeof bin === "string") return refuse(bin);
  if (manifest.irHash !== ir.hash) return refuse("its checkpoint was trained from another spec than its ir.json");
  const entries = manifest.weights?.tensors;
  if (!Array.isArray(entries)) return refuse("its checkpoint.json lists no weights");
  const weights = new Map<string, WeightTensor>();
  for (const e of entries as unknown[]) {
    const t = e as { name?: unknown; shape?: unknown; dtype?: unknown; offset?: unknown };
    const shape = t.shape;
    if (typeof t.name !== "string" || !Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(t.offset)) {
      return refuse("its checkpoint.json has a malformed weight entry");
    }
    if (t.dtype !== "float32") continue; // the exporter reads float32 weights only
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const start = t.offset as number;
    if (start < 0 || start + 4 * count > bin.byteLength) return refuse(`its weight '${t.name}' runs past the end of weights.bin`);
    // Copy: the Buffer may be shared and unaligned. Checkpoints are little-endian, as this machine must be.
    const values = new Float32Array(new Uint8Array(bin.buffer, bin.byteOffset + start, 4 * count).slice().buffer);
    weights.set(t.name, { shape: shape as number[], values });
  }
  return ok({ ir, weights });
}
