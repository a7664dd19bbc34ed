import { describe, expect, it } from "vitest";
import { parseOverride } from "../../src/check/check.js";
import { check, only } from "./helpers.js";

const VAE = `model vae {
  input: [28, 28, 1] in [0, 1]
  encoder { flatten dense(64) relu }
  bottleneck: gaussian(8)
  decoder { dense(784) sigmoid reshape([28, 28, 1]) }
  train { data: sprites(size: 28) }
}
`;
const LINEAR = `model linear_ae {
  input: [64]
  bottleneck: deterministic(8)
  decoder { dense(64) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 64, rank: 8) optimizer: adam(lr: 1e-2) }
}
`;

describe("parseOverride", () => {
  it("splits the path and parses the value in a <--set N> pseudo-file", () => {
    const r = parseOverride("loss.kl.beta=4", 1);
    expect(r.diagnostics).toEqual([]);
    expect(r.source.name).toBe("<--set 2>");
    expect(r.override!.path).toEqual(["loss", "kl", "beta"]);
    expect(r.override!.pathSpan).toEqual({ file: "<--set 2>", start: 0, end: 12 });
    expect(r.override!.value).toMatchObject({ kind: "Number", value: 4, span: { file: "<--set 2>", start: 13, end: 14 } });
  });

  it("accepts calls, shapes and strings as values", () => {
    expect(parseOverride("bottleneck=vq(codes: 8, dim: 2)", 0).override!.value.kind).toBe("Call");
    expect(parseOverride('train.data="x.npy"', 0).override!.value).toMatchObject({ kind: "String", value: "x.npy" });
  });

  it.each([
    ["train.epochs", "--set needs PATH=VALUE, got 'train.epochs'"],
    ["=3", "--set has an empty path before '='"],
    ["train..epochs=3", "--set path 'train..epochs' is not names joined by '.'"],
    ["train.epochs=", "--set train.epochs has no value after '='"],
    ["train.epochs=(3", "--set train.epochs: cannot read the value '(3'"],
    ["train.epochs=3 4", "--set train.epochs: cannot read the value '3 4'"],
  ])("AE2201 for %j", (text, message) => {
    const r = parseOverride(text, 0);
    expect(r.override).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["AE2201", message]]);
    expect(r.diagnostics[0]!.span.file).toBe("<--set 1>");
  });
});

describe("applying overrides", () => {
  const ir = (text: string, set: string[]) => {
    const c = check(text, { set });
    expect(c.diagnostics.map((d) => d.message)).toEqual([]);
    return c.models[0]!;
  };

  it("train.SETTING sets or adds a setting", () => {
    const m = ir(VAE, ["train.epochs=2", "train.batch=16", "train.early_stop=4"]);
    expect([m.train.epochs, m.train.batch, m.train.earlyStop]).toEqual([2, 16, 4]);
  });

  it("train.SETTING.ARG reaches a written call and a default one", () => {
    expect(ir(LINEAR, ["train.optimizer.lr=0.5"]).train.optimizer).toMatchObject({ kind: "adam", lr: 0.5 });
    expect(ir(VAE, ["train.optimizer.lr=0.5"]).train.optimizer).toMatchObject({ kind: "adam", lr: 0.5, beta1: 0.9 });
    expect(ir(VAE, ["train.data.count=100"]).train.data).toMatchObject({ kind: "sprites", size: 28, count: 100 });
  });

  it("a whole call and then one of its arguments", () => {
    const m = ir(VAE, ["train.optimizer=sgd", "train.optimizer.momentum=0.5", "bottleneck=vq(codes: 16, dim: 4)", "bottleneck.codes=32"]);
    expect(m.train.optimizer).toMatchObject({ kind: "sgd", lr: 0.01, momentum: 0.5 });
    expect(m.bottleneck).toMatchObject({ kind: "vq", codes: 32, dim: 4 });
    // the default loss follows the new bottleneck
    expect(m.losses.map((t) => t.kind)).toEqual(["reconstruction", "commitment"]);
  });

  it("loss.TERM.ARG, also on the default loss", () => {
    expect(ir(VAE, ["loss.kl.beta=4", "loss.reconstruction.likelihood=bernoulli"]).losses).toMatchObject([
      { kind: "reconstruction", likelihood: "bernoulli" },
      { kind: "kl", beta: 4 },
    ]);
  });

  it("corrupt, corrupt.ARG and prior", () => {
    const m = ir(VAE, ["corrupt=gaussian(sigma: 0.1)", "corrupt.sigma=0.2", "prior=normal"]);
    expect(m.corruption).toMatchObject({ kind: "gaussian_noise", sigma: 0.2 });
    expect(m.prior.kind).toBe("normal");
  });

  it("a whole bottleneck can be given to a model that lacks one", () => {
    const m = ir("model m { input: [4] decoder { dense(4) } }", ["bottleneck=gaussian(2)"]);
    expect(m.bottleneck).toMatchObject({ kind: "gaussian", units: 2 });
  });

  it("values may use the file's lets", () => {
    expect(ir(`let big = 64\n${VAE}`, ["train.batch=big * 2"]).train.batch).toBe(128);
  });

  it("AE2202: a path naming nothing, at the path, with a suggestion", () => {
    const c = check(LINEAR, { set: ["loss.kl.beta=4"] });
    const d = only(c, "AE2202");
    expect(d.message).toBe("--set loss.kl.beta: model 'linear_ae' has no loss term 'kl'");
    expect(d.span).toEqual({ file: "<--set 1>", start: 0, end: 12 });
  });

  it.each([
    ["trian.epochs=2", "--set trian.epochs: no such setting 'trian'", "did you mean 'train'?"],
    ["train.epoch=2", "--set train.epoch: no setting 'epoch'", "did you mean 'epochs'?"],
    ["train.optimizer.lrr=2", "--set train.optimizer.lrr: adam has no argument 'lrr'", "did you mean 'lr'?"],
    ["train.epochs.x=2", "--set train.epochs.x: train.epochs is a number; it has no arguments", undefined],
    ["bottleneck.unit=2", "--set bottleneck.unit: deterministic has no argument 'unit'", "did you mean 'units'?"],
    ["corrupt.sigma=2", "--set corrupt.sigma: model 'linear_ae' has no corruption", "set it whole: --set corrupt=gaussian(sigma: 0.1)"],
    ["loss.reconstruction.on.x=2", "--set loss.reconstruction.on.x: name a loss term and its argument, e.g. loss.kl.beta", undefined],
    ["loss.reconstruction.weight=2", "--set loss.reconstruction.weight: reconstruction has no argument 'weight'", "reconstruction takes: likelihood, on"],
    ["train.data.x=2", "--set train.data.x: lowrank has no argument 'x'", "lowrank takes: dim, rank, count"],
  ])("AE2202 for %s", (set, message, hint) => {
    const c = check(LINEAR, { set: [set] });
    const d = only(c, "AE2202");
    expect(d.message).toBe(message);
    expect(d.hint).toBe(hint);
    expect(c.models).toEqual([]);
  });

  it("a value of the wrong type or range: AE2107/AE2108 at the value, naming the path", () => {
    const c = check(LINEAR, { set: ["train.batch=1.5", "bottleneck.units=0", "train.optimizer=3"] });
    expect(c.diagnostics.map((d) => [d.code, d.message, d.span.file])).toEqual([
      ["AE2107", "--set train.batch: expected an integer, got 1.5", "<--set 1>"],
      ["AE2108", "--set bottleneck.units: must be at least 1, got 0", "<--set 2>"],
      ["AE2107", "--set train.optimizer: expected an optimizer (adam, sgd, rmsprop), got a number", "<--set 3>"],
    ]);
    expect(c.diagnostics[0]!.span).toEqual({ file: "<--set 1>", start: 12, end: 15 });
  });

  it("an unknown name in a value names the path", () => {
    const c = check(LINEAR, { set: ["bottleneck=gausian(4)"] });
    expect(only(c, "AE2101").message).toBe("--set bottleneck: unknown bottleneck 'gausian'");
  });

  it("apply to every model checked, or only to `model`", () => {
    const text = `${VAE}model small extends vae { bottleneck: gaussian(2) }`;
    const all = check(text, { set: ["train.epochs=3"] });
    expect(all.models.map((m) => m.train.epochs)).toEqual([3, 3]);
    const one = check(text, { set: ["bottleneck.units=0"], model: "small" });
    expect(one.diagnostics.map((d) => d.message)).toEqual(["--set bottleneck.units: must be at least 1, got 0"]);
  });
});
