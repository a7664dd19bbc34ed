/**
 * Encoding figures for `npm run bench`: examples per second encoding the
 * 10,000 MNIST test images with the encoders of specs/vae.aespec and
 * specs/vqvae.aespec, in onnxruntime-node (CPU) against the tfjs forward pass
 * on the default backend, same weights (random initial ones), same batch
 * size. Prints; asserts nothing.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs-core";
import * as ort from "onnxruntime-node";
import { elementsPerExample } from "../src/data/dataset.js";
import { loadData } from "../src/data/load.js";
import { Rng } from "../src/data/rng.js";
import type { IrModel } from "../src/ir/model.js";
import { exportModel } from "../targets/onnx/export-model.js";
import { CODE_OUTPUT, runEncoder } from "../targets/onnx/encode.js";
import type { Weights } from "../targets/onnx/weights.js";
import { buildModel, compileModel, selectBackend } from "../targets/tfjs/index.js";
import type { Forward, TfModel } from "../targets/tfjs/model-api.js";

const BATCH = 1000;
/** Timed passes over the 10,000 images (after one warm-up pass); the median is printed. */
const PASSES = 3;
const MODELS = [
  { file: "vae.aespec", model: "vae", pick: (f: Forward) => f.gaussian!.mean },
  { file: "vqvae.aespec", model: "vqvae", pick: (f: Forward) => f.vq!.quantized },
] as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timePasses(pass: () => Promise<Float32Array>): Promise<{ ms: number; out: Float32Array }> {
  let out = await pass(); // warm-up: kernels compiled, memory pools filled
  const times: number[] = [];
  for (let i = 0; i < PASSES; i++) {
    const t0 = performance.now();
    out = await pass();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), out };
}

/** The tfjs encoder in eval mode, batch by batch; each batch's codes are read back to the CPU, as onnxruntime's are. */
async function tfjsPass(model: TfModel, ir: IrModel, x: Float32Array, pick: (f: Forward) => tf.Tensor): Promise<Float32Array> {
  const perIn = elementsPerExample(ir.input.shape);
  const perOut = elementsPerExample(ir.bottleneck.latentShape);
  const count = x.length / perIn;
  const out = new Float32Array(count * perOut);
  const rng = new Rng(0);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const codes = tf.tidy(() =>
      pick(model.forward(tf.tensor(x.subarray(start * perIn, (start + n) * perIn), [n, ...ir.input.shape]), { training: false, rng })),
    );
    out.set((await codes.data()) as Float32Array, start * perOut);
    codes.dispose();
  }
  return out;
}

/**
 * How far the two agree: elements outside |a - b| <= 1e-5 + 1e-3 |b|, and
 * how many latent vectors differ at all (for VQ, a near-tie between two codes
 * may resolve differently under the two summation orders).
 */
function agreementLine(onnx: Float32Array, ref: Float32Array, vector: number): string {
  let bad = 0;
  let vectors = 0;
  for (let v = 0; v < ref.length; v += vector) {
    let differs = false;
    for (let i = v; i < v + vector; i++) {
      if (!(Math.abs(onnx[i]! - ref[i]!) <= 1e-5 + 1e-3 * Math.abs(ref[i]!))) {
        bad++;
        differs = true;
      }
    }
    if (differs) vectors++;
  }
  return `agreement: ${bad} of ${ref.length.toLocaleString("en-US")} values outside 1e-5 + 1e-3|b| (${vectors} of ${(ref.length / vector).toLocaleString("en-US")} latent vectors)`;
}

const fmt = (ms: number, n: number) => `${ms.toFixed(0).padStart(6)} ms/10,000 ${`${Math.round((n / ms) * 1000).toLocaleString("en-US")} ex/s`.padStart(12)}`;

/** Prints every figure of this part; leaves tfjs on the default backend. */
export async function onnxEncodeBench(root: string): Promise<void> {
  const sel = await selectBackend();
  if (sel.error !== null) {
    console.log(`\nencoding: skipped, no tfjs backend loads (${sel.detail})`);
    return;
  }
  console.log(`\nencoding the 10,000 MNIST test images, batch ${BATCH}, random initial weights, encoder only; median of ${PASSES} passes after a warm-up:`);
  console.log(`  onnxruntime-node ${ort.env.versions.node ?? ""} on the CPU (default threads: one per core, here ${cpus().length}) against tfjs ${sel.detail}`);
  for (const m of MODELS) {
    const file = join(root, "specs", m.file);
    const c = compileModel(readFileSync(file, "utf8"), { file, model: m.model });
    if (!c.ok) throw new Error(`${file} does not compile: ${c.diagnostics.map((d) => d.message).join("; ")}`);
    // The encoder alone: the same IR with no decoder, so tfjs's forward pass does no decoding work.
    const ir: IrModel = { ...c.model, decoder: [] };
    const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
    if (!loaded.ok) throw new Error(`MNIST did not load: ${loaded.diagnostic.message}`);
    const test = loaded.value.test;
    if (test === null || test.count !== 10_000) throw new Error("internal: MNIST's test set is not 10,000 images");
    const model = buildModel(ir, new Rng(ir.train.seed, "init"));
    try {
      const weights: Weights = new Map(
        [...model.trainable, ...model.state].map((v) => [
          v.name,
          { shape: [...v.variable.shape], values: Float32Array.from(v.variable.dataSync() as Float32Array) },
        ]),
      );
      const bytes = exportModel(ir, weights, "encoder");
      if (!bytes.ok) throw new Error(`${m.model} does not export: ${bytes.diagnostic.message}`);
      const output = CODE_OUTPUT[ir.bottleneck.kind]!;
      const onnxRun = async (threads: number) => {
        const session = await ort.InferenceSession.create(bytes.value, { executionProviders: ["cpu"], ...(threads > 0 ? { intraOpNumThreads: threads } : {}) });
        try {
          return await timePasses(
            async () => (await runEncoder(ort, session, test.x, ir.input.shape, ir.bottleneck.latentShape, output, BATCH)) as Float32Array,
          );
        } finally {
          await session.release();
        }
      };
      const onnxDefault = await onnxRun(0);
      const onnxOne = await onnxRun(1);
      const tfjsRun = await timePasses(() => tfjsPass(model, ir, test.x, m.pick));
      const ratio = (o: { ms: number }) => `${(tfjsRun.ms / o.ms).toFixed(2)}x`;
      console.log(`  ${m.model}:`);
      console.log(`    onnxruntime, default threads ${fmt(onnxDefault.ms, test.count)}  ${ratio(onnxDefault)} tfjs`);
      console.log(`    onnxruntime, one thread      ${fmt(onnxOne.ms, test.count)}  ${ratio(onnxOne)} tfjs`);
      console.log(`    tfjs ${sel.name.padEnd(24)}${fmt(tfjsRun.ms, test.count)}`);
      console.log(`    ${agreementLine(onnxDefault.out, tfjsRun.out, elementsPerExample(ir.bottleneck.latentShape.slice(-1)))}`);
    } finally {
      model.dispose();
    }
  }
}
