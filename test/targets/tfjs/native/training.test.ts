import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it, vi } from "vitest";
import { compile } from "../../../../src/compile.js";
import { loadData } from "../../../../src/data/load.js";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import { selectBackend, type BackendName } from "../../../../targets/tfjs/backend.js";
import { buildModel } from "../../../../targets/tfjs/index.js";
import { NativeAdamOptimizer } from "../../../../targets/tfjs/native/adam.js";
import { matMulTransposes } from "../../../../targets/tfjs/ops/matmul.js";
import { batchTensor } from "../../../../targets/tfjs/train/batches.js";
import { disposeOptimizer, makeOptimizer } from "../../../../targets/tfjs/train/optimizers.js";
import { trainStep } from "../../../../targets/tfjs/train/step.js";
import { blas, skipReason } from "./native-available.js";

/**
 * A small conv VAE: strided convolutions with kernels 4 and 3 (SAME padding
 * uneven on one side), two transposed ones, a dense layer between: every
 * convolution of its step (forward, input and filter gradients, dilated by
 * the stride) runs on the native kernel on wasm+blas. Small enough for the
 * cpu backend to serve as a third opinion.
 */
const SMALL_CONV_VAE = `model small {
  input: [28, 28, 1] in [0, 1]
  encoder {
    conv(8, kernel: 4, stride: 2) relu
    conv(16, kernel: 3, stride: 2) relu
    flatten
  }
  bottleneck: gaussian(8)
  decoder {
    dense(784) relu
    reshape([7, 7, 16])
    deconv(8, kernel: 3, stride: 2) relu
    deconv(1, kernel: 4, stride: 2) sigmoid
  }
  loss {
    reconstruction(bernoulli)
    kl(beta: 1)
  }
  train {
    data: mnist
    optimizer: adam(lr: 1e-3)
    batch: 16
    epochs: 1
    seed: 7
  }
}`;

/**
 * Issue 7's bar: with and without the native path, the same training run
 * gives the same losses within 1e-5 relative over 50 steps. The models of
 * bench/models as written, on a smaller batch (the GEMMs stay large: 784 x 512).
 */
const root = resolve(import.meta.dirname, "../../../..");
const STEPS = 50;
const BATCH = 64;
const BATCHES = 4;

function benchModel(name: string): IrModel {
  const file = resolve(root, "bench", "models", `${name}.aespec`);
  const c = compile(readFileSync(file, "utf8"), { file, overrides: [`train.batch=${BATCH}`] });
  if (!c.ok || c.models.length !== 1) throw new Error(`${file}: ${c.diagnostics.map((d) => d.message).join("; ")}`);
  return c.models[0]!;
}

/** [total, ...terms] of every step of a seeded run on `backend`. */
async function losses(ir: IrModel, backend: BackendName): Promise<number[][]> {
  const s = await selectBackend(backend);
  if (s.error !== null) throw new Error(s.error);
  const data = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!data.ok) throw new Error(data.diagnostic.message);
  const b = ir.train.batch;
  const xs = Array.from({ length: BATCHES }, (_, i) => batchTensor(data.value.train, null, i * b, (i + 1) * b));
  const model = buildModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  const rng = new Rng(ir.train.seed, "train");
  const history: number[][] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      const out = await trainStep({ model, ir, optimizer, x: xs[step % BATCHES]!, rng, progress: step / 100, stats: null });
      history.push([out.losses.total, ...out.losses.terms]);
    }
    // wasm+blas also updates the weights natively (its first step creates Adam's moments the stock way).
    const native = optimizer.constructor === NativeAdamOptimizer ? (optimizer as NativeAdamOptimizer).nativeSteps : 0;
    expect(native).toBe(backend === "wasm+blas" ? STEPS - 1 : 0);
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    tf.dispose(xs);
  }
  return history;
}

/** The largest relative difference between two runs' losses; fails at the first step and term beyond 1e-5. */
function compare(wasm: number[][], native: number[][]): number {
  let worst = 0;
  wasm.forEach((row, step) =>
    row.forEach((v, i) => {
      const rel = Math.abs(native[step]![i]! - v) / Math.abs(v);
      worst = Math.max(worst, rel);
      if (!(rel <= 1e-5)) expect.fail(`step ${step + 1}, loss ${i}: wasm ${v}, wasm+blas ${native[step]![i]} (relative ${rel.toExponential(2)})`);
    }),
  );
  return worst;
}

describe.skipIf(blas === null)(`50 training steps with and without the native GEMM${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it.each(["ae", "vae"])(
    "%s: the same losses at every step, within 1e-5 relative",
    async (name) => {
      const ir = benchModel(name);
      const gemm = vi.spyOn(blas!, "gemm");
      const wasm = await losses(ir, "wasm");
      expect(matMulTransposes()).toBe("explicit");
      expect(gemm).not.toHaveBeenCalled();
      const native = await losses(ir, "wasm+blas");
      // The native path also drops the explicit transposes and updates Adam natively: every difference is covered.
      expect(matMulTransposes()).toBe("flags");
      // Forward and backward: 6 dense layers (the VAE's two heads make 7), 3 products each, every step.
      expect(gemm.mock.calls.length).toBeGreaterThanOrEqual(STEPS * 18);
      gemm.mockRestore();
      const worst = compare(wasm, native);
      // Training happened: the comparison is not of 50 copies of the first loss.
      expect(wasm[STEPS - 1]![0]!).toBeLessThan(0.7 * wasm[0]![0]!);
      console.log(`${name}: worst relative difference over ${STEPS} steps ${worst.toExponential(2)}`);
    },
    120_000,
  );

  it("a conv VAE: the same losses at every step on wasm, wasm+blas and cpu, within 1e-5 relative", async () => {
    const c = compile(SMALL_CONV_VAE, { file: "small.aespec" });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    const ir = c.models[0]!;
    const conv = vi.spyOn(blas!, "conv2d");
    const wasm = await losses(ir, "wasm");
    expect(conv).not.toHaveBeenCalled();
    const native = await losses(ir, "wasm+blas");
    // 2 conv and 2 deconv layers, each one convolution forward and two backward (input and filter gradients).
    expect(conv.mock.calls.length).toBe(STEPS * 12);
    conv.mockRestore();
    const cpu = await losses(ir, "cpu");
    const worst = Math.max(compare(wasm, native), compare(cpu, native));
    expect(wasm[STEPS - 1]![0]!).toBeLessThan(0.7 * wasm[0]![0]!);
    console.log(`small conv VAE: worst relative difference of wasm+blas to wasm and cpu over ${STEPS} steps ${worst.toExponential(2)}`);
  }, 120_000);
});
