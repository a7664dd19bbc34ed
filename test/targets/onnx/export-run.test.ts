/**
 * exportRun on a run the trainer wrote, and `aespec export` end to end:
 * the ONNX autoencoder computes what the loaded tfjs model computes; bad
 * runs and output paths are refused with diagnostics.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { Rng } from "../../../src/data/rng.js";
import { exportRun } from "../../../targets/onnx/index.js";
import { compileModel, createTrainer, loadRun } from "../../../targets/tfjs/index.js";
import type { TfjsModel } from "../../../targets/tfjs/model/build.js";
import { spec, tempDir, useCpu } from "../tfjs/train/helpers.js";
import { agreement, runOnnx } from "./helpers.js";
import { modelHash } from "../../../src/ir/hash.js";
import type { IrModel } from "../../../src/ir/model.js";
import { captureIo } from "../../support/capture-io.js";

beforeAll(useCpu);

let runDir = "";
async function trainedRun(): Promise<string> {
  if (runDir !== "") return runDir;
  const text = spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse)\n    kl()" });
  const c = compileModel(text, { overrides: ["train.epochs=1"] });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  const dir = join(tempDir("aespec-onnx-"), "run");
  const r = await createTrainer(c.model, { outDir: dir, specText: text }).train();
  expect(r.status).toBe("completed");
  r.model?.dispose();
  runDir = dir;
  return dir;
}

describe("exportRun", () => {
  it("exports the weights of the checkpoint: the ONNX autoencoder matches the loaded tfjs model", async () => {
    const dir = await trainedRun();
    const bytes = exportRun(dir, "autoencoder");
    if (!bytes.ok) throw new Error(bytes.diagnostic.message);
    const loaded = loadRun(dir);
    if ("code" in loaded) throw new Error(loaded.message);
    const x = Float32Array.from({ length: 5 * 6 }, (_, i) => Math.sin(i));
    const ref = tf.tidy(() =>
      loaded.model
        .forward(tf.tensor(x, [5, 6]), { training: false, rng: new Rng(0) })
        .reconstruction.dataSync()
        .slice(),
    );
    loaded.model.dispose();
    const got = await runOnnx(bytes.value, { input: { data: x, dims: [5, 6] } });
    expect(agreement(got["reconstruction"]!.data as Float32Array, ref).bad).toBe(0);
  });

  it("refuses a folder that is not a run, and a checkpoint of another spec, with AE3202", async () => {
    const missing = exportRun(join(tempDir("aespec-onnx-"), "nothing"), "encoder");
    expect(missing.ok ? null : missing.diagnostic.code).toBe("AE3202");
    const dir = await trainedRun();
    const copy = join(tempDir("aespec-onnx-"), "copy");
    mkdirSync(join(copy, "checkpoint"), { recursive: true });
    for (const f of readdirSync(join(dir, "checkpoint"))) writeFileSync(join(copy, "checkpoint", f), readFileSync(join(dir, "checkpoint", f)));
    // Another valid IR (its own hash), beside the checkpoint of the first one.
    const { hash: firstHash, ...ir } = JSON.parse(readFileSync(join(dir, "ir.json"), "utf8")) as IrModel;
    const changed = { ...ir, name: "another" };
    writeFileSync(join(copy, "ir.json"), JSON.stringify({ ...changed, hash: modelHash(changed) }));
    const other = exportRun(copy, "encoder");
    expect(other.ok ? null : other.diagnostic.message).toMatch(/another spec/);
    // Weights that do not fit the IR: a diagnostic, not an exception.
    const manifest = JSON.parse(readFileSync(join(copy, "checkpoint", "checkpoint.json"), "utf8")) as {
      irHash: string;
      weights: { tensors: { name: string }[] };
    };
    manifest.weights.tensors[0]!.name = "renamed";
    writeFileSync(join(copy, "checkpoint", "checkpoint.json"), JSON.stringify(manifest));
    writeFileSync(join(copy, "ir.json"), JSON.stringify({ ...ir, hash: firstHash }));
    const misfit = exportRun(copy, "encoder");
    expect(misfit.ok ? null : misfit.diagnostic.message).toMatch(/does not fit its model: it holds no weight 'bottleneck.mean.kernel'/);
  });
});

describe("aespec export", () => {
  it("writes each part atomically and says so", async () => {
    const dir = await trainedRun();
    const outDir = tempDir("aespec-onnx-out-");
    for (const part of ["encoder", "decoder", "autoencoder"]) {
      const { io, out } = captureIo();
      const file = join(outDir, `${part}.onnx`);
      expect(await main(["export", dir, "--part", part, "-o", file], io)).toBe(0);
      expect(out.join("")).toContain(`wrote ${part}`);
      expect(existsSync(file)).toBe(true);
    }
    expect(readdirSync(outDir).sort()).toEqual(["autoencoder.onnx", "decoder.onnx", "encoder.onnx"]);
    rmSync(outDir, { recursive: true });
  });

  it("refuses an output folder that does not exist (AE3203) and an unknown part (usage)", async () => {
    const dir = await trainedRun();
    const { io, err } = captureIo();
    const file = join(tempDir("aespec-onnx-out-"), "no", "such", "m.onnx");
    expect(await main(["export", dir, "--part", "encoder", "-o", file], io)).toBe(1);
    expect(err.join("")).toMatch(/error AE3203: cannot write .*does not exist/);
    expect(existsSync(join(file, ".."))).toBe(false);
    const bad = captureIo();
    expect(await main(["export", dir, "--part", "latent", "-o", "x.onnx"], bad.io)).toBe(2);
  });
});

describe("a ladder run", () => {
  it("exports its three parts: per-level posteriors, the decoder from the top, the autoencoder; each as the loaded tfjs model computes it", async () => {
    const text = spec({ bottleneck: "ladder(skip: true) { gaussian(3) gaussian(2) gaussian(2) }", loss: "reconstruction(mse)\n    kl()" });
    const c = compileModel(text, { overrides: ["train.epochs=1"] });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    const dir = join(tempDir("aespec-onnx-ladder-"), "run");
    const r = await createTrainer(c.model, { outDir: dir, specText: text }).train();
    expect(r.status).toBe("completed");
    r.model?.dispose();
    const outDir = tempDir("aespec-onnx-ladder-out-");
    const files: Record<string, Uint8Array> = {};
    for (const part of ["encoder", "decoder", "autoencoder"]) {
      const { io } = captureIo();
      const file = join(outDir, `${part}.onnx`);
      expect(await main(["export", dir, "--part", part, "-o", file], io)).toBe(0);
      files[part] = new Uint8Array(readFileSync(file));
    }
    const loaded = loadRun(dir);
    if ("code" in loaded) throw new Error(loaded.message);
    const model = loaded.model as TfjsModel;
    expect(typeof model.decode).toBe("function");
    const n = 5;
    const x = Float32Array.from({ length: n * 6 }, (_, i) => Math.cos(0.7 * i));
    const ref = tf.tidy(() => {
      const f = model.forward(tf.tensor(x, [n, 6]), { training: false, rng: new Rng(0) });
      const levels = f.ladder!.levels.map((l) => ({ mean: l.mean.dataSync().slice(), logVar: l.logVar.dataSync().slice() }));
      const top = levels[2]!.mean as Float32Array;
      const decoded = model
        .decode(tf.tensor(top, [n, 2]), { training: false, rng: new Rng(0) })
        .dataSync()
        .slice();
      return { levels, top, decoded, reconstruction: f.reconstruction.dataSync().slice() };
    });
    model.dispose();
    const enc = await runOnnx(files["encoder"]!, { input: { data: x, dims: [n, 6] } });
    ref.levels.forEach((l, i) => {
      expect(agreement(enc[`level${i}_mean`]!.data as Float32Array, l.mean).bad).toBe(0);
      expect(agreement(enc[`level${i}_logvar`]!.data as Float32Array, l.logVar).bad).toBe(0);
    });
    expect(agreement(enc["latent"]!.data as Float32Array, ref.levels[0]!.mean).bad).toBe(0);
    const dec = await runOnnx(files["decoder"]!, { latent: { data: ref.top, dims: [n, 2] } });
    expect(agreement(dec["reconstruction"]!.data as Float32Array, ref.decoded).bad).toBe(0);
    const auto = await runOnnx(files["autoencoder"]!, { input: { data: x, dims: [n, 6] } });
    expect(agreement(auto["reconstruction"]!.data as Float32Array, ref.reconstruction).bad).toBe(0);
  });
});
