import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

const warnings = (text: string) => {
  const c = check(text);
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c;
};

describe("AE2701 identity risk", () => {
  const wide = (extra: { encoder?: string; extra?: string }) =>
    warnings(model({ input: "input: [32]", bottleneck: "bottleneck: deterministic(32)", decoder: "decoder { dense(32) }", ...extra }));

  it("warns for a deterministic latent as large as the input, at the bottleneck call", () => {
    const c = wide({});
    const d = only(c, "AE2701");
    expect(spanText(c, d)).toBe("deterministic(32)");
    expect(d.message).toBe("32 >= 32 input features and nothing discourages the identity map (no corruption, no regulariser, no noise)");
    expect(c.models).toHaveLength(1);
  });

  it.each([
    ["a corruption", { extra: "corrupt: gaussian(sigma: 0.1)" }],
    ["dropout in the encoder", { encoder: "encoder { dropout(0.2) }" }],
    ["a contractive term", { extra: "loss { reconstruction(mse) contractive(weight: 1e-3) }" }],
    ["an mmd term", { extra: "loss { reconstruction(mse) mmd(weight: 1) }" }],
    ["an adversarial term", { extra: "loss { reconstruction(mse) adversarial(weight: 1) { dense(1) } }" }],
  ])("is silenced by %s", (_, parts) => {
    expect(wide(parts).codes).not.toContain("AE2701");
  });

  it("stays quiet for a narrower latent and for non-deterministic bottlenecks", () => {
    expect(warnings(model({ input: "input: [32]", bottleneck: "bottleneck: deterministic(31)", decoder: "decoder { dense(32) }" })).codes).toEqual([]);
    expect(warnings(model({ input: "input: [32]", bottleneck: "bottleneck: gaussian(64)", decoder: "decoder { dense(32) }" })).codes).toEqual([]);
  });
});

describe("AE2702 memorisation", () => {
  it("warns when the latent has as many numbers as the training set has examples", () => {
    const c = warnings(model({ bottleneck: "bottleneck: gaussian(100)", extra: "train { data: lowrank(count: 100) }" }));
    const d = only(c, "AE2702");
    expect(d.message).toBe("the latent has 100 numbers per example and the training set 100 examples: the model can memorise it");
    expect(spanText(c, d)).toBe("gaussian(100)");
  });

  it("stays quiet below, and when the data's size is unknown", () => {
    expect(warnings(model({ bottleneck: "bottleneck: gaussian(99)", extra: "train { data: lowrank(count: 100) }" })).codes).toEqual([]);
    // no data named: the training set's size is unknown
    expect(warnings(model({ bottleneck: "bottleneck: gaussian(100)", extra: "train { epochs: 2 }" })).codes).toEqual([]);
  });
});

describe("AE2703 posterior collapse", () => {
  it("warns for kl beta above 8 without free bits, at beta", () => {
    const c = warnings(model({ extra: "loss { reconstruction(mse) kl(beta: 10) }" }));
    const d = only(c, "AE2703");
    expect(spanText(c, d)).toBe("10");
    expect(d.hint).toContain("lower beta");
  });

  it.each([["kl(beta: 8)"], ["kl(beta: 4)"], ["kl(beta: 10, free_bits: 0.5)"]])("stays quiet for %s", (kl) => {
    expect(warnings(model({ extra: `loss { reconstruction(mse) ${kl} }` })).codes).toEqual([]);
  });
});

describe("AE2704 dead codes", () => {
  const vq = (codes: number, batch: number) => warnings(model({ bottleneck: `bottleneck: vq(codes: ${codes}, dim: 4)`, extra: `train { batch: ${batch} }` }));

  it("warns when the codebook outgrows the latent vectors of a batch, at codes", () => {
    const c = vq(65, 64);
    const d = only(c, "AE2704");
    expect(spanText(c, d)).toBe("65");
    expect(d.message).toBe("65 codes but a batch gives only 64 latent vectors (batch 64 x 1 per example): dead codes are likely");
  });

  it("stays quiet at the limit, and counts every position of a latent map", () => {
    expect(vq(64, 64).codes).toEqual([]);
    const map = warnings(`model m { input: [4, 4, 1] bottleneck: vq(codes: 512, dim: 2) decoder { dense(1) } train { batch: 32 } }`);
    expect(map.codes).toEqual([]); // 32 x 16 = 512 vectors
  });
});

describe("lints ride only on clean models", () => {
  it("no warning on a model with an error", () => {
    const c = check(model({ input: "input: [32]", bottleneck: "bottleneck: deterministic(64)", decoder: "decoder { dense(31) }" }));
    expect(c.codes).toEqual(["AE2301"]);
  });
});
