/**
 * A trained run measured without tfjs: its encoder and decoder exported to
 * ONNX and run in onnxruntime-node behind the evaluation port
 * (src/eval/model-port.ts), so `aespec eval --target onnx` and `aespec report
 * --target onnx` measure and draw the graphs a user ships. A Gaussian
 * bottleneck's encoder exports its mean and log-variance, a VQ's its code
 * indices and quantized vectors; the decoder part decodes latents.
 *
 * Not served: a ladder (its exported decoder starts at the top level, and its
 * importance samples need the sampled hierarchy, which is not exported) and a
 * model trained with a corruption (the corruption is not part of a graph).
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { fail, ok, type Result } from "../../src/data/result.js";
import { diag } from "../../src/diagnostics/diagnostic.js";
import type { ModelPort, PortForward } from "../../src/eval/model-port.js";
import type { Runtime } from "../../src/target/target.js";
import { exportRead } from "./export-run.js";
import { readRunWeights } from "./run-weights.js";
import { int32Indices, loadOnnxRuntime, type OnnxRuntime } from "./runtime.js";

/** The run's exported encoder and decoder in onnxruntime behind the port; AE3301 for what the port cannot serve. */
export async function openOnnxPort(runDir: string): Promise<Result<{ port: ModelPort; runtime: Runtime }>> {
  const run = readRunWeights(runDir);
  if (!run.ok) return run;
  const ir = run.value.ir;
  const refuse = (why: string) =>
    fail<never>(diag("AE3301", `cannot evaluate '${runDir}' on the onnx target: ${why}`, ir.span, { hint: "evaluate it with --target tfjs" }));
  if (ir.bottleneck.kind === "ladder") return refuse("a ladder's exported decoder starts at its top level, and its sampled hierarchy is not exported");
  if (ir.corruption !== null) return refuse(`its ${ir.corruption.kind} corruption is not part of the exported graphs`);
  const encoderBytes = exportRead(run.value, runDir, "encoder");
  if (!encoderBytes.ok) return encoderBytes;
  const decoderBytes = exportRead(run.value, runDir, "decoder");
  if (!decoderBytes.ok) return decoderBytes;
  const ort = await loadOnnxRuntime("evaluation on the onnx target");
  if (!ort.ok) return ort;
  const options = { executionProviders: ["cpu"] };
  const encoder = await ort.value.InferenceSession.create(encoderBytes.value, options);
  const decoder = await ort.value.InferenceSession.create(decoderBytes.value, options);
  const port = onnxPort(ort.value, ir, run.value.epoch, encoder, decoder);
  return ok({
    port,
    runtime: {
      name: "onnxruntime",
      summary: "onnxruntime (CPU)",
      details: ["onnxruntime-node, CPU execution provider, on the run's encoder and decoder exported as ONNX opset 17"],
    },
  });
}

function onnxPort(ort: OnnxRuntime, ir: ModelPort["ir"], epoch: number, encoder: InferenceSession, decoder: InferenceSession): ModelPort {
  const latentShape = ir.bottleneck.latentShape;

  async function run(session: InferenceSession, name: string, x: Float32Array, shape: readonly number[], count: number): Promise<Record<string, Tensor>> {
    return session.run({ [name]: new ort.Tensor("float32", Float32Array.from(x), [count, ...shape]) });
  }
  const floats = (t: Tensor | undefined, what: string) => {
    if (t === undefined) throw new Error(`internal: the exported graph has no '${what}' output`);
    return Float32Array.from(t.data as Float32Array);
  };
  const release = (r: Record<string, Tensor>) => Object.values(r).forEach((t) => t.dispose());

  async function decodeLatent(z: Float32Array, count: number): Promise<Float32Array> {
    const r = await run(decoder, "latent", z, latentShape, count);
    try {
      return floats(r["reconstruction"], "reconstruction");
    } finally {
      release(r);
    }
  }

  async function forward(x: Float32Array, count: number): Promise<PortForward> {
    const r = await run(encoder, "input", x, ir.input.shape, count);
    try {
      switch (ir.bottleneck.kind) {
        case "gaussian": {
          const mean = floats(r["mean"], "mean");
          return {
            reconstruction: await decodeLatent(mean, count),
            latent: mean,
            gaussian: { mean, logVar: floats(r["logvar"], "logvar") },
            vqIndices: null,
            ladder: null,
          };
        }
        case "vq": {
          const quantized = floats(r["quantized"], "quantized");
          const indices = r["indices"];
          if (indices === undefined) throw new Error("internal: the exported VQ encoder has no 'indices' output");
          const vqIndices = int32Indices(indices.data as BigInt64Array);
          return { reconstruction: await decodeLatent(quantized, count), latent: quantized, gaussian: null, vqIndices, ladder: null };
        }
        default: {
          const latent = floats(r["latent"], "latent");
          return { reconstruction: await decodeLatent(latent, count), latent, gaussian: null, vqIndices: null, ladder: null };
        }
      }
    } finally {
      release(r);
    }
  }

  const unserved = (what: string) => () => Promise.reject(new Error(`internal: the onnx port serves no ${what} (refused when opened)`));
  return {
    ir,
    epoch,
    forward,
    decodeLatent,
    priorShape: latentShape,
    decodePrior: decodeLatent,
    forwardCorrupted: unserved("corruption"),
    sampleLadder: unserved("ladder"),
    dispose() {
      void encoder.release();
      void decoder.release();
    },
  };
}
