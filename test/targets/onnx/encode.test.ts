/**
 * `aespec encode` end to end through the built command line: the codes it
 * writes are the tfjs model's encoder outputs on the same data; a file of
 * the wrong shape is refused; the NPY writer round-trips through the reader.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeNpy } from "../../../src/data/npy.js";
import { npyBytes, writeNpyFile } from "../../../src/data/npy-write.js";
import { readDataFile } from "../../../src/data/read-file.js";
import { Rng } from "../../../src/data/rng.js";
import { compileModel, createTrainer, loadRun } from "../../../targets/tfjs/index.js";
import type { Forward } from "../../../targets/tfjs/model-api.js";
import { spec, tempDir, useCpu } from "../tfjs/train/helpers.js";
import { agreement } from "./helpers.js";

beforeAll(useCpu);

const root = resolve(import.meta.dirname, "../../..");

async function trainedRun(bottleneck: string, loss: string): Promise<string> {
  const text = spec({ bottleneck, loss });
  const c = compileModel(text, { overrides: ["train.epochs=1"] });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  const dir = join(tempDir("aespec-encode-"), "run");
  const r = await createTrainer(c.model, { outDir: dir, specText: text }).train();
  expect(r.status).toBe("completed");
  r.model?.dispose();
  return dir;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(root, "bin", "aespec.js"), ...args], { cwd: root, encoding: "utf8" });
}

/** The loaded run's encoder output on `x` [count, 6], in eval mode. */
function tfjsCodes(dir: string, x: Float32Array, count: number, pick: (f: Forward) => tf.Tensor): Float32Array {
  const loaded = loadRun(dir);
  if ("code" in loaded) throw new Error(loaded.message);
  try {
    return tf.tidy(() => pick(loaded.model.forward(tf.tensor(x, [count, 6]), { training: false, rng: new Rng(0) })).dataSync() as Float32Array).slice();
  } finally {
    loaded.model.dispose();
  }
}

const cases = [
  {
    name: "gaussian: the mean",
    bottleneck: "gaussian(2)",
    loss: "reconstruction(mse)\n    kl()",
    latent: [2],
    output: "mean",
    pick: (f: Forward) => f.gaussian!.mean,
  },
  {
    name: "vq: the quantized vectors",
    bottleneck: "vq(codes: 4, dim: 3)",
    loss: "reconstruction(mse)\n    commitment(beta: 0.25)",
    latent: [3],
    output: "quantized",
    pick: (f: Forward) => f.vq!.quantized,
  },
  {
    name: "ladder: the bottom level's posterior mean",
    bottleneck: "ladder(skip: true) { gaussian(3) gaussian(2) gaussian(2) }",
    loss: "reconstruction(mse)\n    kl()",
    latent: [3],
    output: "level0_mean",
    pick: (f: Forward) => f.ladder!.levels[0]!.mean,
  },
];

describe("aespec encode", () => {
  for (const c of cases) {
    it(`writes what the tfjs encoder computes (${c.name}), across batches`, async () => {
      const dir = await trainedRun(c.bottleneck, c.loss);
      const work = tempDir("aespec-encode-io-");
      // More examples than one onnxruntime batch, so batching is exercised.
      const count = 1500;
      const x = Float32Array.from({ length: count * 6 }, (_, i) => Math.sin(0.37 * i) * 1.5);
      const dataFile = join(work, "x.npy");
      writeFileSync(dataFile, npyBytes(x, [count, 6]));
      const out = join(work, "codes.npy");
      const r = cli(["encode", dir, "--data", dataFile, "-o", out]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`wrote the ${c.output} codes of ${count} examples, shape [${count}, ${c.latent.join(", ")}]`);
      const got = decodeNpy(new Uint8Array(readFileSync(out)), out);
      if (!got.ok) throw new Error(got.diagnostic.message);
      expect(got.value.count).toBe(count);
      expect(got.value.shape).toEqual(c.latent);
      const ref = tfjsCodes(dir, x, count, c.pick);
      const a = agreement(got.value.x, ref);
      expect(a.bad).toBe(0);
      // Not all the same code: the comparison means something.
      expect(new Set(Array.from(ref, (v) => v.toFixed(4))).size).toBeGreaterThan(1);
    });
  }

  it("--indices writes a VQ's code indices as int32, the codes tfjs assigns; another bottleneck is refused with AE3207", async () => {
    const dir = await trainedRun("vq(codes: 4, dim: 3)", "reconstruction(mse)\n    commitment(beta: 0.25)");
    const work = tempDir("aespec-encode-io-");
    const count = 1200;
    const x = Float32Array.from({ length: count * 6 }, (_, i) => Math.sin(0.37 * i) * 1.5);
    const dataFile = join(work, "x.npy");
    writeFileSync(dataFile, npyBytes(x, [count, 6]));
    const out = join(work, "indices.npy");
    const r = cli(["encode", dir, "--data", dataFile, "-o", out, "--indices"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`wrote the code indices (int32) of ${count} examples, shape [${count}]`);
    const bytes = new Uint8Array(readFileSync(out));
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toMatch(/'descr': '<i4'.*'shape': \(1200,\)/);
    const got = new Int32Array(bytes.slice(10 + headerLength).buffer);
    const ref = tfjsCodes(dir, x, count, (f) => f.vq!.indices);
    expect(Array.from(got)).toEqual(Array.from(ref, (v) => Math.round(v)));
    expect(new Set(got).size).toBeGreaterThan(1);

    const gaussian = await trainedRun("gaussian(2)", "reconstruction(mse)\n    kl()");
    const refused = cli(["encode", gaussian, "--data", dataFile, "-o", join(work, "no.npy"), "--indices"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/error AE3207: model 'm' has a gaussian bottleneck: only a vq bottleneck's encoder outputs code indices/);
    expect(existsSync(join(work, "no.npy"))).toBe(false);
  });

  it("refuses data of another shape with a located AE3204 and exit 1, writing nothing", async () => {
    const dir = await trainedRun("gaussian(2)", "reconstruction(mse)\n    kl()");
    const work = tempDir("aespec-encode-io-");
    const dataFile = join(work, "x.npy");
    writeFileSync(dataFile, npyBytes(new Float32Array(4 * 5), [4, 5]));
    const out = join(work, "codes.npy");
    const r = cli(["encode", dir, "--data", dataFile, "-o", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error AE3204: the examples of '.*x\.npy' have shape \[5\], but model 'm' reads \[6\]/);
    // Located at the spec's input declaration (line 2 of the spec helper's text).
    expect(r.stderr).toMatch(/:2:\d+/);
    expect(r.stderr).toContain("input: [6]");
    expect(existsSync(out)).toBe(false);
  });
});

describe("the NPY writer", () => {
  it("round-trips through the reader for small shapes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), (dims, seed) => {
        const n = dims.reduce((a, b) => a * b, 1);
        const rng = new Rng(seed);
        const values = Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 1e3);
        const bytes = npyBytes(values, dims);
        const header = new DataView(bytes.buffer).getUint16(8, true);
        expect((10 + header) % 64).toBe(0);
        expect(bytes[10 + header - 1]).toBe(0x0a);
        const ds = decodeNpy(bytes, "t.npy");
        if (!ds.ok) throw new Error(ds.diagnostic.message);
        expect(ds.value.count).toBe(dims[0]);
        expect(Array.from(ds.value.x)).toEqual(Array.from(values));
        // The reader's per-example shape: [1] for a vector, a trailing channel for 2-D examples.
        const rest = dims.slice(1);
        expect(ds.value.shape).toEqual(rest.length === 0 ? [1] : rest.length === 2 ? [...rest, 1] : rest);
      }),
      { numRuns: 100 },
    );
  });

  it("writes atomically to a file, and refuses a missing folder with AE3205", () => {
    const work = tempDir("aespec-npy-");
    const file = join(work, "a.npy");
    const w = writeNpyFile(file, Float32Array.of(1, 2, 3), [3]);
    expect(w.ok).toBe(true);
    const back = readDataFile(file, "npy");
    expect(back.ok && Array.from(back.value.x)).toEqual([1, 2, 3]);
    const missing = writeNpyFile(join(work, "no", "a.npy"), Float32Array.of(1), [1]);
    expect(missing.ok ? null : missing.diagnostic.code).toBe("AE3205");
  });
});
