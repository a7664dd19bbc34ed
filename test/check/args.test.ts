import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

const enc = (layers: string) => check(model({ encoder: `encoder { ${layers} }` }));

describe("calls and arguments", () => {
  it("AE2101: unknown layer with a suggestion in the hint", () => {
    const c = enc("dens(10)");
    const d = only(c, "AE2101");
    expect(d.message).toBe("unknown layer 'dens'");
    expect(d.hint).toBe("did you mean 'dense'?");
    expect(d.related).toEqual([]);
    expect(spanText(c, d)).toBe("dens");
  });

  it("AE2101: a word of another context says what it is", () => {
    const d = only(enc("deterministic(8)"), "AE2101");
    expect(d.hint).toContain("'deterministic' is a bottleneck, not a layer");
  });

  it("AE2101 for bottlenecks, corruptions, priors, loss terms, settings, optimizers and data", () => {
    const c = check(`model m {
      input: [64] in [0, 1]
      corrupt: gausian(sigma: 1)
      bottleneck: gausian(8)
      decoder { dense(64) }
      prior: normall
      loss { reconstruction(mse) kll() }
      train { epoch: 3 optimizer: adamm data: mnst }
    }`);
    expect(c.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["unknown corruption 'gausian'", "did you mean 'gaussian'?"],
      ["unknown bottleneck 'gausian'", "did you mean 'gaussian'?"],
      ["unknown prior 'normall'", "did you mean 'normal'?"],
      ["unknown loss term 'kll'", "did you mean 'kl'?"],
      ["unknown setting 'epoch'", "did you mean 'epochs'?"],
      ["unknown optimizer 'adamm'", "did you mean 'adam'?"],
      ["unknown data set 'mnst'", "did you mean 'mnist'?"],
    ]);
    expect(c.codes.every((x) => x === "AE2101")).toBe(true);
  });

  it("AE2102: unknown argument, with a suggestion", () => {
    const c = enc("dense(unit: 3)");
    const d = only(c, "AE2102");
    expect(d.message).toBe("dense has no argument 'unit'");
    expect(d.hint).toBe("did you mean 'units'?");
    expect(spanText(c, d)).toBe("unit");
    expect(c.codes).toEqual(["AE2102"]); // no cascade into "missing units"
  });

  it("AE2103: positional after keyword", () => {
    const c = enc("conv(kernel: 3, 8)");
    expect(spanText(c, only(c, "AE2103"))).toBe("8");
  });

  it("AE2104: an argument given positionally and by name", () => {
    const c = enc("dense(3, units: 4)");
    const d = only(c, "AE2104");
    expect(spanText(c, d)).toBe("units: 4");
    expect(d.related.map((r) => c.text.slice(r.span.start, r.span.end))).toEqual(["3"]);
  });

  it("AE2105: missing required argument, at the call", () => {
    const c = enc("dense()");
    const d = only(c, "AE2105");
    expect(d.message).toBe("dense needs its argument 'units'");
    expect(spanText(c, d)).toBe("dense()");
    expect(only(check(model({ bottleneck: "bottleneck: vq(codes: 8)" })), "AE2105").message).toBe("vq needs its argument 'dim'");
  });

  it("AE2106: too many positional arguments", () => {
    const c = enc("dense(3, 4) flatten(1)");
    expect(c.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AE2106", "dense takes 1 argument (units)"],
      ["AE2106", "flatten takes no arguments"],
    ]);
  });

  it("AE2107: not an integer, as docs/language.md's width / 3 would be", () => {
    const c = check(`let width = 512\n${model({ encoder: "encoder { dense(width / 3) }" })}`);
    const d = only(c, "AE2107");
    expect(d.message).toBe("dense units: expected an integer, got 170.67");
    expect(spanText(c, d)).toBe("width / 3");
  });

  it("AE2107: words where numbers, booleans or shapes belong", () => {
    const c = enc("dense(relu) batchnorm(momentum: true) reshape(3)");
    expect(c.diagnostics.map((d) => d.message)).toEqual([
      "dense units: expected an integer, got 'relu'",
      "batchnorm momentum: expected a number, got 'true'",
      "reshape shape: expected a shape [features] or [h, w, c], got 3",
    ]);
    const vq = check(model({ bottleneck: "bottleneck: vq(codes: 8, dim: 2, restart: 1)", extra: "loss { reconstruction(mse) }" }));
    expect(only(vq, "AE2107").message).toBe("vq restart: expected true or false, got 1");
  });

  it("AE2003 for an unknown word where an enum belongs, with a suggestion", () => {
    const c = check("model m { input: [4, 4, 1] encoder { conv(2, padding: sme) } bottleneck: gaussian(2) decoder { dense(1) } }");
    const d = only(c, "AE2003");
    expect(d.message).toBe("unknown name 'sme'");
    expect(d.hint).toBe("did you mean 'same'?");
  });

  it("AE2108: out of range", () => {
    const c = enc("dense(0) dropout(1) dropout(-0.1) leaky_relu(alpha: -1)");
    expect(c.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AE2108", "dense units: must be at least 1, got 0"],
      ["AE2108", "dropout p: must be in [0, 1), got 1"],
      ["AE2108", "dropout p: must be in [0, 1), got -0.1"],
      ["AE2108", "leaky_relu alpha: must be at least 0, got -1"],
    ]);
    expect(only(check(model({ bottleneck: "bottleneck: vq(codes: 8, dim: 2, ema: 1)" })), "AE2108").message).toBe("vq ema: must be in (0, 1), got 1");
  });

  it("AE2109: a setting given twice", () => {
    const c = check(model({ extra: "train { batch: 3 epochs: 2 batch: 4 }" }));
    const d = only(c, "AE2109");
    expect(spanText(c, d)).toBe("batch");
    expect(d.related).toHaveLength(1);
    expect(c.text.slice(d.related[0]!.span.start).startsWith("batch: 3")).toBe(true);
  });

  it("AE2110: blocks where none belongs, and missing where one is needed", () => {
    const cases: [string, string][] = [
      [model({ bottleneck: "bottleneck: ladder" }), "ladder needs a block of levels, bottom first"],
      [model({ bottleneck: "bottleneck: ladder { }" }), "ladder has an empty block; it needs a block of levels, bottom first"],
      [model({ bottleneck: "bottleneck: gaussian(8) { gaussian(4) }" }), "gaussian takes no { ... } block"],
      [model({ extra: "loss { reconstruction(mse) kl adversarial(weight: 1) }" }), "adversarial needs a discriminator block of layers"],
      [model({ extra: "loss { reconstruction(mse) { dense(1) } kl }" }), "reconstruction takes no { ... } block"],
    ];
    for (const [text, message] of cases) expect(only(check(text), "AE2110").message).toBe(message);
  });

  it("a ladder level must be gaussian", () => {
    const d = only(check(model({ bottleneck: "bottleneck: ladder { gaussian(8) deterministic(4) }" })), "AE2101");
    expect(d.message).toBe("unknown ladder level 'deterministic'");
  });

  it("every wrong call of a model is reported in one run", () => {
    const c = enc("dens(1) dense(unit: 2) dropout(2)");
    expect(c.codes).toEqual(["AE2101", "AE2102", "AE2108"]);
  });
});
