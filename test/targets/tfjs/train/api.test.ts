import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { compileModel, createTrainer, loadRun, type EpochMetrics } from "../../../../targets/tfjs/index.js";
import { spec, tempDir, useCpu } from "./helpers.js";

beforeAll(useCpu);

describe("the library API", () => {
  it("compiles a source string, trains with callbacks, returns the model, and loads it back from the run", async () => {
    const text = spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse)\n    kl()" });
    const c = compileModel(text, { overrides: ["train.epochs=2"] });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    expect(c.model.name).toBe("m");
    const dir = join(tempDir(), "run");
    const epochs: EpochMetrics[] = [];
    const trainer = createTrainer(c.model, { outDir: dir, specText: text });
    const r = await trainer.train({ onEpoch: (m) => epochs.push(m) });
    expect(r.status).toBe("completed");
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.runDir).toBe(dir);

    const x = tf.tensor2d([[0.1, -0.2, 0.3, 0, 0.5, -1]]);
    const rng = new Rng(0);
    const direct = tf.tidy(() => r.model!.forward(x, { training: false, rng }).reconstruction.arraySync());
    r.model!.dispose();
    const loaded = loadRun(dir);
    if ("code" in loaded) throw new Error(loaded.message);
    expect(loaded.epoch).toBe(2);
    expect(loaded.ir.hash).toBe(c.model.hash);
    const again = tf.tidy(() => loaded.model.forward(x, { training: false, rng }).reconstruction.arraySync());
    expect(again).toEqual(direct);
    loaded.model.dispose();
    x.dispose();

    // A trainer of the same spec with one more epoch continues the run.
    const longer = compileModel(text, { overrides: ["train.epochs=3"] });
    if (!longer.ok) throw new Error("does not compile");
    const r3 = await createTrainer(longer.model, { outDir: dir }).train({ resume: true });
    expect(r3.history.map((e) => e.epoch)).toEqual([3]);
    r3.model?.dispose();
  });

  it("writes the spec with the overrides it was compiled with into the run, as the command line does", async () => {
    const text = spec();
    const c = compileModel(text, { overrides: ["train.epochs=1", "train.seed=9"] });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    expect(c.specText).toBe(`${text}// trained with: --set train.epochs=1 --set train.seed=9\n`);
    const dir = join(tempDir(), "run");
    const r = await createTrainer(c.model, { outDir: dir, specText: c.specText }).train();
    r.model?.dispose();
    expect(readFileSync(join(dir, "spec.aespec"), "utf8")).toBe(c.specText);
    const plain = compileModel(text);
    expect(plain.ok && plain.specText).toBe(text);
  });

  it("reports compile errors and an ambiguous model choice as diagnostics", () => {
    const bad = compileModel("model m { input: [4] }");
    expect(bad.ok).toBe(false);
    const two = compileModel(spec() + spec().replace("model m", "model n"));
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.diagnostics.at(-1)!.message).toContain("2 models (m, n)");
    const picked = compileModel(spec() + spec().replace("model m", "model n"), { model: "n" });
    expect(picked.ok && picked.model.name).toBe("n");
  });

  it("loadRun refuses a folder that is not a run", () => {
    const r = loadRun(tempDir());
    expect("code" in r && r.code).toBe("AE3105");
    const missing = join(tempDir(), "nothing");
    expect("code" in loadRun(missing)).toBe(true);
    expect(existsSync(missing)).toBe(false);
  });
});
