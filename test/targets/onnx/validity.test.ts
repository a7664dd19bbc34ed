/**
 * Every export of every spec model, read back by two independent readers:
 * the `onnx-proto` package (protobufjs 6, its own generated code) and, when
 * Debian's python3-onnx is installed (always in CI), onnx.checker with
 * full_check (shape inference included).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile.js";
import type { IrModel } from "../../../src/ir/model.js";
import { exportModel, ONNX_IR_VERSION, ONNX_OPSET, PARTS } from "../../../targets/onnx/export-model.js";
import { unsupportedFeatures } from "../../../targets/tfjs/model/support.js";
import { useBackend } from "../tfjs/ops/tf-helpers.js";
import { tempDir } from "../tfjs/train/helpers.js";
import { tfjsModel, weightsOf } from "./helpers.js";
import { EXTRA_MODELS } from "./models.js";

beforeAll(() => useBackend("cpu"));

interface DecodedModel {
  irVersion: { toNumber(): number } | number;
  producerName: string;
  opsetImport: { domain: string; version: { toNumber(): number } | number }[];
  metadataProps: { key: string; value: string }[];
  graph: {
    input: { name: string; type: { tensorType: { shape: { dim: { dimValue: { toNumber(): number } | number; dimParam: string }[] } } } }[];
    output: { name: string }[];
    node: { opType: string; attribute: { name: string; type: number }[] }[];
  };
}
const onnxProto = createRequire(import.meta.url)("onnx-proto") as { onnx: { ModelProto: { decode(b: Uint8Array): DecodedModel } } };
const num = (v: { toNumber(): number } | number) => (typeof v === "number" ? v : v.toNumber());

const models: IrModel[] = [
  ...readdirSync("specs")
    .filter((f) => f.endsWith(".aespec"))
    .sort()
    .flatMap((f) => compile(readFileSync(`specs/${f}`, "utf8"), { file: `specs/${f}` }).models),
  ...EXTRA_MODELS(),
].filter((ir) => unsupportedFeatures(ir).length === 0);

/** The encoder's outputs by bottleneck; every decoder outputs `reconstruction`. */
function encoderOutputs(ir: IrModel): string[] {
  const b = ir.bottleneck;
  if (b.kind === "ladder") return [...b.levels.flatMap((_, i) => [`level${i}_mean`, `level${i}_logvar`]), "latent"];
  return { deterministic: ["latent"], gaussian: ["mean", "logvar"], vq: ["indices", "quantized"] }[b.kind];
}

/** The decoder part's input shape without the batch: a ladder's top level, else the latent. */
const decoderInput = (ir: IrModel): readonly number[] =>
  ir.bottleneck.kind === "ladder" ? [ir.bottleneck.levels[ir.bottleneck.levels.length - 1]!.units] : ir.bottleneck.latentShape;

/** Every export, written to a temporary folder: [file, model, part]. */
function exportAll(): [string, IrModel, string][] {
  const dir = tempDir("aespec-onnx-valid-");
  return models.flatMap((ir) => {
    const model = tfjsModel(ir, 5);
    const weights = weightsOf(model);
    model.dispose();
    return PARTS.map((part): [string, IrModel, string] => {
      const r = exportModel(ir, weights, part);
      if (!r.ok) throw new Error(r.diagnostic.message);
      const file = join(dir, `${ir.name}.${part}.onnx`);
      writeFileSync(file, r.value);
      return [file, ir, part];
    });
  });
}

const PYTHON = "/usr/bin/python3";
function hasPythonOnnx(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ["-c", "import onnx"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

describe("exported files", () => {
  it("decode with onnx-proto: IR 8, opset 17, metadata, named inputs and outputs, typed attributes", () => {
    for (const [file, ir, part] of exportAll()) {
      const m = onnxProto.onnx.ModelProto.decode(readFileSync(file));
      expect(num(m.irVersion)).toBe(ONNX_IR_VERSION);
      expect(m.opsetImport.map((o) => [o.domain, num(o.version)])).toEqual([["", ONNX_OPSET]]);
      expect(m.producerName).toBe("aespec");
      expect(Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]))).toEqual({ spec: ir.name, ir_hash: ir.hash, part });
      expect(m.graph.input.map((i) => i.name)).toEqual([part === "decoder" ? "latent" : "input"]);
      const dims = m.graph.input[0]!.type.tensorType.shape.dim;
      expect(dims[0]!.dimParam).toBe("batch");
      expect(dims.slice(1).map((d) => num(d.dimValue))).toEqual([...(part === "decoder" ? decoderInput(ir) : ir.input.shape)]);
      expect(m.graph.output.map((o) => o.name)).toEqual(part === "encoder" ? encoderOutputs(ir) : ["reconstruction"]);
      for (const n of m.graph.node) for (const a of n.attribute) expect(a.type, `${n.opType}.${a.name}`).toBeGreaterThan(0);
    }
  });

  it("pass onnx.checker.check_model(full_check=True)", () => {
    const available = hasPythonOnnx();
    if (!available && process.env["CI"] === "true") throw new Error(`${PYTHON} has no onnx module in CI: apt-get install -y python3-onnx`);
    if (!available) {
      console.log(`skipped: ${PYTHON} has no onnx module; apt-get install -y python3-onnx to run the ONNX checker`);
      return;
    }
    const files = exportAll().map(([f]) => f);
    const script = "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1)\n";
    const out = execFileSync(PYTHON, ["-c", script, ...files], { stdio: "pipe" })
      .toString()
      .trim();
    expect(out).toBe(String(files.length));
  });
});
