/**
 * The ONNX target as the command line sees it (src/target/target.ts):
 * exports a trained run's parts as ONNX graphs, encodes data files by
 * running the exported encoder in onnxruntime, and opens a run's exported
 * graphs for `aespec eval` and `aespec report` (eval-port.ts). Light on purpose: the
 * exporter and onnxruntime are loaded by each command when it runs.
 */
import { ok } from "../../src/data/result.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Target } from "../../src/target/target.js";
import { PARTS, type Part } from "./part.js";

export const ONNX_TARGET: Target = {
  name: "onnx",
  description: "ONNX (opset 17) graphs of a trained run's encoder, decoder or autoencoder; encode runs the encoder in onnxruntime",
  options: [],

  async unsupported(ir) {
    const { unexportable } = await import("./export-model.js");
    return PARTS.flatMap((p): Diagnostic[] => {
      const d = unexportable(ir, p);
      return d === null ? [] : [d];
    }).filter((d, i, all) => all.findIndex((e) => e.message === d.message) === i);
  },

  async openModel(runDir) {
    const { openOnnxPort } = await import("./eval-port.js");
    return openOnnxPort(runDir);
  },

  exports: {
    parts: PARTS,
    async write(runDir, part, output) {
      const onnx = await import("./index.js");
      const bytes = onnx.exportRun(runDir, part as Part);
      if (!bytes.ok) return bytes;
      const written = onnx.writeModelFile(output, bytes.value);
      return written.ok ? ok({ bytes: bytes.value.byteLength, format: `ONNX opset ${onnx.ONNX_OPSET}` }) : written;
    },
  },

  async encode(runDir, dataFile, output, opts) {
    const [{ encodeFile }, { writeNpyFile, writeNpyInt32File }] = await Promise.all([import("./encode.js"), import("../../src/data/npy-write.js")]);
    const encoded = await encodeFile(runDir, dataFile, { indices: opts.indices });
    if (!encoded.ok) return encoded;
    const { values, shape } = encoded.value;
    const inputs = { inputs: [dataFile] };
    const written = values instanceof Int32Array ? writeNpyInt32File(output, values, shape, inputs) : writeNpyFile(output, values, shape, inputs);
    return written.ok ? ok({ output: encoded.value.output, shape: encoded.value.shape }) : written;
  },
};
