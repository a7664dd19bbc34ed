import { describe, expect, it } from "vitest";
import { convSize, deconvSize } from "../../src/check/shapes/layers.js";
import type { IrModel } from "../../src/ir/model.js";
import { check, only, spanText } from "./helpers.js";

/**
 * Output sizes worked by hand from the rules:
 * conv same ceil(n/s), valid floor((n-k)/s)+1; deconv same n*s, valid n*s + max(k-s, 0).
 */
describe("convolution arithmetic", () => {
  it.each([
    // n, k, s, same, valid
    [28, 3, 1, 28, 26],
    [28, 5, 1, 28, 24],
    [28, 4, 2, 14, 13],
    [28, 5, 3, 10, 8],
    [7, 3, 2, 4, 3],
    [5, 5, 1, 5, 1],
    [5, 2, 3, 2, 2],
    [9, 1, 1, 9, 9],
    [9, 2, 3, 3, 3],
    [4, 5, 1, 4, 0],
    [1, 1, 2, 1, 1],
    [6, 4, 3, 2, 1],
  ])("conv n=%i k=%i s=%i: same %i, valid %i", (n, k, s, same, valid) => {
    expect(convSize(n, k, s, "same")).toBe(same);
    expect(convSize(n, k, s, "valid")).toBe(valid);
  });

  it.each([
    [7, 4, 2, 14, 16],
    [7, 3, 1, 7, 9],
    [5, 1, 3, 15, 15],
    [3, 5, 2, 6, 9],
    [4, 2, 2, 8, 8],
    [14, 3, 3, 42, 42],
    [1, 5, 1, 1, 5],
    [2, 4, 3, 6, 7],
  ])("deconv n=%i k=%i s=%i: same %i, valid %i", (n, k, s, same, valid) => {
    expect(deconvSize(n, k, s, "same")).toBe(same);
    expect(deconvSize(n, k, s, "valid")).toBe(valid);
  });
});

/** A model whose encoder is `layers` on `input`; the decoder maps any latent back with flatten, dense and reshape. */
function encoderOf(input: readonly number[], layers: string): IrModel {
  const n = input.reduce((a, b) => a * b, 1);
  const c = check(`model m {
    input: [${input.join(", ")}]
    encoder { ${layers} }
    bottleneck: gaussian(2)
    decoder { flatten dense(${n}) reshape([${input.join(", ")}]) }
  }`);
  expect(c.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return c.models[0]!;
}

describe("layer shapes and costs in a model", () => {
  it("conv and deconv with odd sizes, strides and both paddings", () => {
    const m = encoderOf(
      [9, 7, 3],
      "conv(4, kernel: 3, stride: 2, padding: valid) deconv(5, kernel: 5, stride: 3, padding: valid) conv(2, kernel: 2, stride: 3)",
    );
    expect(m.encoder.map((l) => l.outShape)).toEqual([
      [4, 3, 4], // floor(6/2)+1 = 4, floor(4/2)+1 = 3
      [14, 11, 5], // 4*3 + 2 = 14, 3*3 + 2 = 11
      [5, 4, 2], // ceil(14/3) = 5, ceil(11/3) = 4
    ]);
    expect(m.encoder.map((l) => l.parameters)).toEqual([3 * 3 * 3 * 4 + 4, 5 * 5 * 4 * 5 + 5, 2 * 2 * 5 * 2 + 2]);
    expect(m.encoder.map((l) => l.activationBytes)).toEqual([4 * 48, 4 * 770, 4 * 40]);
    expect(m.encoder[0]).toMatchObject({ kind: "conv", filters: 4, kernel: 3, stride: 2, padding: "valid" });
  });

  it("conv defaults: kernel 3, stride 1, same padding", () => {
    const m = encoderOf([6, 6, 1], "conv(8)");
    expect(m.encoder[0]).toMatchObject({ kind: "conv", filters: 8, kernel: 3, stride: 1, padding: "same", outShape: [6, 6, 8] });
  });

  it("positional arguments bind in order: conv(8, 5, 2, valid)", () => {
    const m = encoderOf([11, 11, 1], "conv(8, 5, 2, valid)");
    expect(m.encoder[0]).toMatchObject({ kernel: 5, stride: 2, padding: "valid", outShape: [4, 4, 8] });
  });

  it("dense acts on the last axis of a map; batchnorm and layernorm count 2c", () => {
    const m = encoderOf([4, 5, 6], "dense(10) batchnorm layernorm");
    expect(m.encoder.map((l) => [l.outShape, l.parameters, l.state])).toEqual([
      [[4, 5, 10], 6 * 10 + 10, 0],
      [[4, 5, 10], 20, 20],
      [[4, 5, 10], 20, 0],
    ]);
    expect(m.bottleneck).toMatchObject({ latentShape: [4, 5, 2], vectorsPerExample: 20, parameters: 2 * (10 * 2 + 2) });
  });

  it("flatten and flatten() are the same; reshape keeps the count", () => {
    const a = encoderOf([4, 4, 2], "flatten reshape([2, 4, 4])");
    const b = encoderOf([4, 4, 2], "flatten() reshape([2, 4, 4])");
    expect(a.encoder.map((l) => l.outShape)).toEqual([[32], [2, 4, 4]]);
    expect(a.hash).toBe(b.hash);
  });

  it("activations keep the shape; leaky_relu's alpha defaults to 0.2", () => {
    const m = encoderOf([8], "dense(4) relu leaky_relu leaky_relu(alpha: 0.1) dropout(0.5)");
    expect(m.encoder.slice(1).map((l) => (l.kind === "activation" ? [l.fn, l.alpha] : [l.kind]))).toEqual([
      ["relu", 0],
      ["leaky_relu", 0.2],
      ["leaky_relu", 0.1],
      ["dropout"],
    ]);
    expect(m.encoder[4]).toMatchObject({ kind: "dropout", rate: 0.5, outShape: [4] });
  });
});

describe("shape errors", () => {
  it("AE2302: conv on a vector names the actual shape", () => {
    const c = check("model m { input: [64] encoder { conv(8) } bottleneck: gaussian(2) decoder { dense(64) } }");
    const d = only(c, "AE2302");
    expect(d.message).toBe("conv needs an [h, w, c] input, got [64]");
    expect(spanText(c, d)).toBe("conv(8)");
    expect(c.models).toEqual([]);
  });

  it("AE2302 for deconv after flatten", () => {
    const c = check("model m { input: [4, 4, 1] encoder { flatten deconv(1) } bottleneck: gaussian(2) decoder { dense(16) reshape([4, 4, 1]) } }");
    expect(only(c, "AE2302").message).toBe("deconv needs an [h, w, c] input, got [16]");
  });

  it("AE2303: a valid convolution larger than its input", () => {
    const c = check("model m { input: [4, 4, 1] encoder { conv(8, kernel: 5, padding: valid) } bottleneck: gaussian(2) decoder { dense(1) } }");
    const d = only(c, "AE2303");
    expect(d.message).toContain("from [4, 4, 1]");
    expect(c.codes).toEqual(["AE2303"]); // nothing downstream is reported
  });

  it("AE2304: reshape shows both counts", () => {
    const c = check("model m { input: [28, 28, 1] encoder { flatten } bottleneck: gaussian(2) decoder { dense(512) reshape([28, 28, 1]) } }");
    const d = only(c, "AE2304");
    expect(d.message).toBe("reshape to [28, 28, 1] needs 784 elements, its input [512] has 512");
    expect(spanText(c, d)).toBe("reshape([28, 28, 1])");
    expect(c.codes).toEqual(["AE2304"]);
  });

  it("AE2301 at the last decoder layer, with the input and the producing layer related", () => {
    const c = check("model m {\n input: [28, 28, 1]\n encoder { flatten }\n bottleneck: gaussian(2)\n decoder { dense(512) relu }\n}");
    const d = only(c, "AE2301");
    expect(d.message).toBe("decoder gives [512], input is [28, 28, 1]");
    expect(spanText(c, d)).toBe("relu");
    expect(d.related.map((r) => [r.message, c.text.slice(r.span.start, r.span.end)])).toEqual([
      ["input declared here", "[28, 28, 1]"],
      ["shape produced here", "dense(512)"],
    ]);
  });

  it("AE2301 at the decoder keyword when the decoder is empty", () => {
    const c = check("model m { input: [64] bottleneck: gaussian(8) decoder { } }");
    const d = only(c, "AE2301");
    expect(spanText(c, d)).toBe("decoder");
    expect(d.message).toBe("decoder gives [8], input is [64]");
  });

  it("AE2305 and AE2306: input shape and range", () => {
    const bad = check("model m { input: [28, 28] in [1, 0] bottleneck: gaussian(2) decoder { dense(28) } }");
    expect(bad.codes).toEqual(["AE2305", "AE2306"]);
    const dims = check("model m { input: [0, 2.5, 1] bottleneck: gaussian(2) decoder { dense(1) } }");
    expect(dims.codes).toEqual(["AE2305", "AE2305"]);
  });
});

describe("AE2301 hints", () => {
  it("a latent that stayed a map (no flatten) is named, with the fix", () => {
    const c = check(`model m { input: [28, 28, 1] bottleneck: deterministic(16) decoder { dense(512) relu } }`);
    const d = only(c, "AE2301");
    expect(d.message).toBe("decoder gives [28, 28, 512], input is [28, 28, 1]");
    expect(d.hint).toBe(
      "the latent is the map [28, 28, 16] (a bottleneck acts on the last axis); for a vector latent, end the encoder with flatten and the decoder with dense(784) reshape([28, 28, 1])",
    );
    expect(d.related.map((r) => r.message)).toEqual(["input declared here", "shape produced here"]);
  });

  it("a vector decoder output for an image input: dense then reshape", () => {
    const c = check(`model m { input: [28, 28, 1] encoder { flatten } bottleneck: deterministic(16) decoder { dense(512) relu } }`);
    expect(only(c, "AE2301").hint).toBe("end the decoder with dense(784) and reshape([28, 28, 1])");
  });
});
