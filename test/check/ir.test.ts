import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/ir/hash.js";
import { check, model, only } from "./helpers.js";

const one = (text: string) => {
  const c = check(text);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.models[0]!;
};

describe("bottleneck IR", () => {
  const ladder = (skip: boolean) =>
    one(`model m { input: [10] bottleneck: ladder(skip: ${skip}) { gaussian(4) gaussian(3) gaussian(2) } decoder { dense(10) } }`);

  it("ladder levels: widths, parameters and activations as documented in src/ir/bottleneck.ts", () => {
    const b = ladder(true).bottleneck;
    if (b.kind !== "ladder") throw new Error("not a ladder");
    const widths = b.levels.map((l) => [
      l.units,
      l.up.inShape[0],
      l.up.units,
      l.qMean.units,
      l.down?.inShape[0] ?? null,
      l.down?.units ?? null,
      l.pLogVar?.units ?? null,
    ]);
    expect(widths).toEqual([
      [4, 10, 8, 4, 9, 8, 4], // down reads z1 (3) and t1 (6)
      [3, 8, 6, 3, 2, 6, 3], // down reads the top's sample only
      [2, 6, 4, 2, null, null, null],
    ]);
    expect(b).toMatchObject({ latentShape: [4], vectorsPerExample: 1, parameters: 516, activationBytes: 348, skip: true });
    expect(ladder(false).bottleneck.parameters).toBe(468);
  });

  it("AE2307: a ladder needs a vector", () => {
    expect(check("model m { input: [2, 2, 1] bottleneck: ladder { gaussian(2) } decoder { dense(1) } }").codes).toEqual(["AE2307"]);
  });

  it("vq: projection plus codebook, ema null when absent", () => {
    const m = one(model({ bottleneck: "bottleneck: vq(codes: 16, dim: 4)" }));
    expect(m.bottleneck).toMatchObject({ kind: "vq", codes: 16, dim: 4, ema: null, restart: false, parameters: 64 * 4 + 4 + 16 * 4 });
    const e = one(model({ bottleneck: "bottleneck: vq(16, 4, ema: 0.99, restart: true)" }));
    expect(e.bottleneck).toMatchObject({ ema: 0.99, restart: true });
  });
});

describe("corruption IR", () => {
  it("maps source names to IR kinds", () => {
    const kind = (c: string) => one(model({ extra: `corrupt: ${c}` })).corruption;
    expect(kind("gaussian(sigma: 0.3)")).toMatchObject({ kind: "gaussian_noise", sigma: 0.3 });
    expect(kind("dropout(0.2)")).toMatchObject({ kind: "dropout_noise", rate: 0.2 });
    expect(kind("saltpepper(p: 0.1)")).toMatchObject({ kind: "saltpepper", rate: 0.1 });
  });

  const masked = (corrupt: string) => `model m { input: [8, 12, 1] corrupt: ${corrupt} encoder { flatten } bottleneck: gaussian(4)
    decoder { dense(96) reshape([8, 12, 1]) } }`;

  it("mask: patches and hidden patches", () => {
    expect(one(masked("mask(patch: 4, ratio: 0.75)")).corruption).toMatchObject({ kind: "mask", patch: 4, ratio: 0.75, patches: 6, hidden: 5 });
    expect(one(masked("mask(patch: 2, ratio: 0.3)")).corruption).toMatchObject({ patches: 24, hidden: 7 });
  });

  it("AE2308: the patch must tile the input and leave patches on both sides", () => {
    expect(only(check(masked("mask(patch: 3, ratio: 0.5)")), "AE2308").message).toBe("mask patch 3 does not divide the input's 8 x 12");
    expect(only(check(masked("mask(patch: 4, ratio: 0.05)")), "AE2308").message).toContain("hides 0 of 6 patches");
    expect(only(check(masked("mask(patch: 4, ratio: 0.95)")), "AE2308").message).toContain("hides 6 of 6 patches");
    expect(only(check(model({ extra: "corrupt: mask(patch: 2, ratio: 0.5)" })), "AE2308").message).toBe("mask needs an [h, w, c] input, the input is [64]");
  });
});

describe("totals and hash", () => {
  it("totals add encoder, bottleneck and decoder", () => {
    const m = one(model({ encoder: "encoder { dense(16) batchnorm }" }));
    // dense 64*16+16, batchnorm 32 (+32 state), gaussian 2*(16*8+8), decoder 8*64+64
    expect(m.totals).toEqual({ parameters: 1040 + 32 + 272 + 576, state: 32, activationBytes: 4 * (16 + 16 + 3 * 8 + 64) });
  });

  it("the hash ignores layout, comments and spans, and sees every value", () => {
    const a = one(model());
    const b = one(`// a comment\n\n${model().replace(/\n/g, "\n\n   ")}`);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(one(model({ extra: "train { epochs: 11 }" })).hash).not.toBe(a.hash);
    expect(one(model({ extra: "train { epochs: 10 }" })).hash).toBe(a.hash); // the default, written out
  });

  it("canonical JSON sorts keys and drops spans", () => {
    expect(canonicalJson({ b: 1, a: { span: { file: "x", start: 0, end: 1 }, c: [2, "x"] } })).toBe('{"a":{"c":[2,"x"]},"b":1}');
  });

  it("every IR op carries its span and the IR is plain JSON", () => {
    const m = one(model({ encoder: "encoder { dense(16) relu }" }));
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    expect(m.encoder.every((l) => l.span.file === "test.aespec" && l.span.end > l.span.start)).toBe(true);
  });
});
