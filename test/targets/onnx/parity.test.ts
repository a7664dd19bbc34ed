/**
 * onnxruntime-node runs every exported part of every spec model (and of
 * models covering what specs/ does not) with the numbers of the tfjs target.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { compile } from "../../../src/compile.js";
import type { IrModel } from "../../../src/ir/model.js";
import { unsupportedFeatures } from "../../../targets/tfjs/model/support.js";
import { useBackend } from "../tfjs/ops/tf-helpers.js";
import { EXTRA_MODELS } from "./models.js";
import { checkParity } from "./parity-check.js";

beforeAll(() => useBackend("cpu"));

const specModels: IrModel[] = readdirSync("specs")
  .filter((f) => f.endsWith(".aespec"))
  .sort()
  .flatMap((f) => compile(readFileSync(`specs/${f}`, "utf8"), { file: `specs/${f}` }).models);

const figures: string[] = [];
afterAll(() => console.log(`ONNX parity (max abs / max rel error):\n${figures.join("\n")}`));

describe("parity with the tfjs target", () => {
  for (const ir of [...specModels, ...EXTRA_MODELS()]) {
    const refused = unsupportedFeatures(ir);
    it.skipIf(refused.length > 0)(`${ir.name}${refused.length > 0 ? ` (tfjs refuses: ${refused[0]!.feature})` : ""}`, async () => {
      const r = await checkParity(ir, 11);
      figures.push(`  ${ir.name}: ${r.maxAbs.toExponential(2)} / ${r.maxRel.toExponential(2)}`);
    });
  }
});
