import { join, resolve } from "node:path";
import { npyFile, tempDir, writeBytes } from "../data/builders.js";
import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

/** A model on `input` whose decoder gives that shape back, with these train settings. */
function train(settings: string, input = "input: [64]") {
  const dims = /\[(.*)\]/.exec(input)![1]!;
  const n = dims.split(",").reduce((a, b) => a * Number(b), 1);
  const parts = { input, encoder: "encoder { flatten }", decoder: `decoder { dense(${n}) reshape([${dims}]) }`, extra: `train { ${settings} }` };
  return check(model(parts), { baseDir: "/specs" });
}

describe("train settings", () => {
  it("defaults", () => {
    expect(check(model()).models[0]!.train).toMatchObject({
      data: null,
      dataFacts: null,
      optimizer: { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      schedule: { kind: "constant", warmup: 0, span: null },
      init: "torch",
      batch: 128,
      epochs: 10,
      seed: 0,
      validation: 0,
      earlyStop: null,
    });
  });

  it("every setting and optimizer reaches the IR", () => {
    const c = train("optimizer: sgd(lr: 0.1, momentum: 0.9) batch: 32 epochs: 2 seed: 7 validation: 0.1 early_stop: 3");
    expect(c.models[0]!.train).toMatchObject({
      optimizer: { kind: "sgd", lr: 0.1, momentum: 0.9 },
      batch: 32,
      epochs: 2,
      seed: 7,
      validation: 0.1,
      earlyStop: 3,
    });
    expect(train("optimizer: rmsprop").models[0]!.train.optimizer).toMatchObject({ kind: "rmsprop", lr: 1e-3, decay: 0.9, momentum: 0, epsilon: 1e-7 });
  });

  it("learning-rate schedules and init reach the IR; warmup(epochs) is the constant rate after a warm-up", () => {
    const ir = (s: string) => train(s).models[0]!.train;
    expect(ir("schedule: cosine(min: 1e-5, warmup: 2) init: he").schedule).toMatchObject({ kind: "cosine", min: 1e-5, warmup: 2 });
    expect(ir("init: glorot").init).toBe("glorot");
    expect(ir("schedule: step(every: 5, factor: 0.5)").schedule).toMatchObject({ kind: "step", every: 5, factor: 0.5, warmup: 0 });
    expect(ir("schedule: warmup(epochs: 3)").schedule).toMatchObject({ kind: "constant", warmup: 3 });
    expect(ir("schedule: step").schedule).toMatchObject({ kind: "step", every: 10, factor: 0.1 });
    const overridden = check(model({ extra: "train { epochs: 20 }" }), { set: ["train.schedule=cosine(min: 0)", "train.init=glorot"] }).models[0]!.train;
    expect(overridden).toMatchObject({ schedule: { kind: "cosine", min: 0 }, init: "glorot" });
  });

  it("AE2111: a cosine's min must be below the optimizer's lr; AE2706: a warm-up as long as the run is warned of; unknown names are located", () => {
    const c = train("optimizer: adam(lr: 1e-3) schedule: cosine(min: 1e-3)");
    const d = only(c, "AE2111");
    expect(spanText(c, d)).toBe("cosine(min: 1e-3)");
    expect(d.related.map((r) => spanText(c, { ...d, span: r.span }))).toEqual(["adam(lr: 1e-3)"]);
    expect(c.models).toHaveLength(0);
    const w = train("epochs: 4 schedule: step(warmup: 4)");
    expect(spanText(w, only(w, "AE2706"))).toBe("step(warmup: 4)");
    expect(w.models).toHaveLength(1);
    expect(only(train("init: kaiming"), "AE2003").message).toContain("kaiming");
    expect(only(train("schedule: cosin"), "AE2101").hint).toContain("cosine");
    expect(only(train("schedule: step(factor: 1)"), "AE2108").message).toContain("factor");
  });

  it("built-in data sets and their facts", () => {
    const facts = (data: string, input: string) => train(`data: ${data}`, input).models[0]!.train;
    expect(facts("mnist", "input: [28, 28, 1]").dataFacts).toEqual({ shape: [28, 28, 1], range: [0, 1], trainSize: 60000, testSize: 10000, labels: true });
    expect(facts("fashion_mnist", "input: [28, 28, 1]").data).toMatchObject({ kind: "fashion_mnist" });
    const sprites = facts("sprites(size: 32)", "input: [32, 32, 1]");
    expect(sprites.data).toMatchObject({ kind: "sprites", size: 32, count: 60000 });
    expect(sprites.dataFacts).toEqual({ shape: [32, 32, 1], range: [0, 1], trainSize: 60000, testSize: 10000, labels: true });
    const sphere = facts("sphere(dim: 64)", "input: [64]");
    expect(sphere.data).toMatchObject({ kind: "sphere", dim: 64, noise: 0.05, count: 10000 });
    expect(sphere.dataFacts).toMatchObject({ shape: [64], range: null, labels: false });
    expect(facts("lowrank", "input: [64]").data).toMatchObject({ kind: "lowrank", dim: 64, rank: 8, count: 10000 });
    // a generated set's test split is a sixth of its training count, at most 10000
    expect(facts("sphere(dim: 3, count: 600)", "input: [3]").dataFacts).toMatchObject({ trainSize: 600, testSize: 100 });
  });

  it("a data file: format from its extension, path resolved against the spec's folder", () => {
    const c = train('data: "data/x.idx.gz"');
    // the file does not exist: an error at check time, pointing back at the spec
    const missing = only(c, "AE3001");
    expect(missing.span.file).toBe(resolve("/specs/data/x.idx.gz"));
    expect(missing.related.map((r) => r.message)).toEqual(["the data named here"]);
    expect(train('data: "x.npy"').codes).toEqual(["AE3001"]);
    const bad = train('data: "x.txt"');
    expect(only(bad, "AE2107").message).toBe('train data: expected a .npy, .idx, .idx.gz or .csv file, got "x.txt"');
  });

  it("a data file's header gives its facts, checked against input", () => {
    const dir = tempDir();
    writeBytes(dir, "x.npy", npyFile({ dtype: "|u1", shape: [5, 64], values: new Uint8Array(5 * 64) }).bytes);
    writeBytes(dir, "y.csv", "a,b,c\n1,2,3\n4,5,6\n");
    const good = check(model({ input: "input: [64]", extra: 'train { data: "x.npy" }' }), { baseDir: dir });
    expect(good.codes).toEqual(["AE2702"]); // 5 examples, 8 latent units: memorisation
    expect(good.models[0]!.train.data).toMatchObject({ kind: "file", path: "x.npy", resolvedPath: join(dir, "x.npy"), format: "npy" });
    expect(good.models[0]!.train.dataFacts).toEqual({ shape: [64], range: [0, 1], trainSize: 5, testSize: null, labels: false });
    const csv = check(model({ input: "input: [64]", extra: 'train { data: "y.csv" }' }), { baseDir: dir });
    const d = only(csv, "AE2501");
    expect(d.message).toBe("the data are [3], the input is [64]");
    expect(spanText(csv, d)).toBe('"y.csv"');
  });

  it("wrong kinds of values for settings", () => {
    const c = train("optimizer: 3 data: [1, 2] batch: mnist");
    expect(c.diagnostics.map((d) => d.message)).toEqual([
      "train optimizer: expected an optimizer (adam, sgd, rmsprop), got a number",
      "train data: expected a data set or a file path, got a shape",
      "train batch: expected an integer, got 'mnist'",
    ]);
  });

  it("AE2108: lowrank's rank cannot exceed dim; validation is in [0, 1)", () => {
    const c = train("data: lowrank(dim: 64, rank: 65) validation: 1");
    expect(c.diagnostics.map((d) => [d.code, d.message])).toEqual([["AE2108", "train validation: must be in [0, 1), got 1"]]);
    const r = train("data: lowrank(dim: 64, rank: 65)");
    expect(only(r, "AE2108").message).toBe("lowrank rank: must be at most dim (64), got 65");
  });

  it("AE2501: the data's shape must be the input's, at the data value", () => {
    const c = train("data: mnist", "input: [784]");
    const d = only(c, "AE2501");
    expect(d.message).toBe("the data are [28, 28, 1], the input is [784]");
    expect(spanText(c, d)).toBe("mnist");
    expect(d.related[0]!.message).toBe("input declared here");
  });

  it("AE2502: a declared range that does not hold the data's is a warning", () => {
    const text = `model m { input: [28, 28, 1] in [0, 0.5] encoder { flatten } bottleneck: gaussian(4)
      decoder { dense(784) reshape([28, 28, 1]) } train { data: mnist } }`;
    const c = check(text);
    const d = only(c, "AE2502");
    expect(d.severity).toBe("warning");
    expect(c.models).toHaveLength(1);
    expect(c.models[0]!.input.range).toEqual([0, 0.5]);
    expect(check(text.replace("in [0, 0.5]", "in [-1, 1]")).diagnostics).toEqual([]);
  });
});
