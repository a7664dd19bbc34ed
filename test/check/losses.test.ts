import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

const withLoss = (bottleneck: string, loss: string, extra = "") =>
  check(model({ bottleneck: `bottleneck: ${bottleneck}`, extra: `loss { ${loss} } ${extra}` }));

describe("loss terms", () => {
  it("default loss: reconstruction(mse), plus kl for gaussian and ladder, commitment for vq", () => {
    const kinds = (b: string) => check(model({ bottleneck: `bottleneck: ${b}` })).models[0]!.losses;
    expect(kinds("deterministic(8)")).toMatchObject([{ kind: "reconstruction", likelihood: "mse", on: "all" }]);
    expect(kinds("gaussian(8)")).toMatchObject([{ kind: "reconstruction" }, { kind: "kl", beta: 1, warmup: 0, freeBits: 0 }]);
    expect(kinds("ladder { gaussian(8) gaussian(4) }")).toMatchObject([{ kind: "reconstruction" }, { kind: "kl" }]);
    expect(kinds("vq(codes: 8, dim: 4)")).toMatchObject([{ kind: "reconstruction" }, { kind: "commitment", beta: 0.25 }]);
  });

  it("every term's arguments reach the IR", () => {
    const c = withLoss("deterministic(8)", "reconstruction(gaussian) contractive(weight: 0.5) mmd(2, kernel: rbf)");
    expect(c.models[0]!.losses).toMatchObject([
      { kind: "reconstruction", likelihood: "gaussian" },
      { kind: "contractive", weight: 0.5 },
      { kind: "mmd", weight: 2, kernel: "rbf" },
    ]);
  });

  it("reports every error of every term in one run, whichever term fails first", () => {
    const both = withLoss("gaussian(8)", "reconstruction(bernoullli) kl(bta: 2)");
    expect(both.diagnostics.map((d) => [d.code, spanText(both, d)])).toEqual([
      ["AE2003", "bernoullli"],
      ["AE2102", "bta"],
    ]);
    const three = withLoss("gaussian(8)", "reconstruction(mse, on: mased) contractiv(1) kl(beta: -1)");
    expect(three.diagnostics.map((d) => [d.code, spanText(three, d)])).toEqual([
      ["AE2003", "mased"],
      ["AE2101", "contractiv"],
      ["AE2108", "-1"],
    ]);
    // A term's own rule too, beside another term's binding error: kl without a gaussian bottleneck.
    const rule = withLoss("deterministic(8)", "reconstruction(mse) kl() contractiv(1)");
    expect(rule.codes).toEqual(["AE2401", "AE2101"]);
  });

  it("AE2401: kl needs gaussian or ladder, at the kl call", () => {
    const c = withLoss("deterministic(8)", "reconstruction(mse) kl(beta: 1)");
    expect(spanText(c, only(c, "AE2401"))).toBe("kl(beta: 1)");
    expect(withLoss("ladder { gaussian(8) }", "reconstruction(mse) kl").diagnostics).toEqual([]);
  });

  it("AE2402: bernoulli needs a range inside [0, 1], declared or the data's", () => {
    const declared = check(model({ input: "input: [64] in [-1, 1]", extra: "loss { reconstruction(bernoulli) kl }" }));
    const d = only(declared, "AE2402");
    expect(d.message).toBe("bernoulli needs inputs inside [0, 1], the input is in [-1, 1]");
    expect(spanText(declared, d)).toBe("reconstruction(bernoulli)");
    expect(d.related[0]!.message).toBe("range declared here");

    const unknown = check(model({ input: "input: [64]", extra: "loss { reconstruction(bernoulli) kl }" }));
    expect(only(unknown, "AE2402").hint).toBe("declare it: input: [...] in [0, 1]");

    const sphere = check(model({ input: "input: [64]", extra: "loss { reconstruction(bernoulli) kl } train { data: sphere(dim: 64) }" }));
    expect(sphere.codes).toEqual(["AE2402"]); // sphere's range is unknown

    const mnist = check(`model m { input: [28, 28, 1] encoder { flatten } bottleneck: gaussian(4)
      decoder { dense(784) reshape([28, 28, 1]) } loss { reconstruction(bernoulli) kl } train { data: mnist } }`);
    expect(mnist.diagnostics).toEqual([]);
    expect(mnist.models[0]!.input.range).toEqual([0, 1]); // the data's range
  });

  it("AE2403: on: masked needs mask corruption", () => {
    const c = withLoss("gaussian(8)", "reconstruction(mse, on: masked) kl");
    expect(spanText(c, only(c, "AE2403"))).toBe("masked");
    const ok = check(`model m { input: [8, 8, 1] corrupt: mask(patch: 2, ratio: 0.5) encoder { flatten } bottleneck: gaussian(4)
      decoder { dense(64) reshape([8, 8, 1]) } loss { reconstruction(mse, on: masked) kl } }`);
    expect(ok.diagnostics).toEqual([]);
  });

  it("AE2404: contractive, mmd and adversarial are not for vq", () => {
    const c = withLoss("vq(codes: 8, dim: 2)", "reconstruction(mse) contractive(1) mmd(1) adversarial(weight: 1) { dense(1) }");
    expect(c.codes).toEqual(["AE2404", "AE2404", "AE2404"]);
  });

  it("AE2405: commitment needs vq", () => {
    const c = withLoss("gaussian(8)", "reconstruction(mse) commitment");
    expect(spanText(c, only(c, "AE2405"))).toBe("commitment");
  });

  it("AE2406: a term twice, related to the first", () => {
    const c = withLoss("gaussian(8)", "reconstruction(mse) kl kl(beta: 2)");
    const d = only(c, "AE2406");
    expect(c.text.slice(d.span.start).startsWith("kl(beta: 2)")).toBe(true);
    expect(d.related).toHaveLength(1);
    expect(withLoss("gaussian(8)", "reconstruction(mse) reconstruction(bernoulli) kl").codes).toContain("AE2406");
  });

  it("AE2407: a loss without reconstruction, at the loss keyword", () => {
    const c = withLoss("gaussian(8)", "kl");
    expect(spanText(c, only(c, "AE2407"))).toBe("loss");
  });

  it("AE2309: the discriminator reads the latent and must end in [1]", () => {
    const c = withLoss("deterministic(8)", "reconstruction(mse) adversarial(weight: 1) { dense(16) relu dense(2) }");
    const d = only(c, "AE2309");
    expect(d.message).toBe("the discriminator must end in one logit [1], it gives [2]");
    expect(spanText(c, d)).toBe("dense(2)");
    const ok = withLoss("deterministic(8)", "reconstruction(mse) adversarial(weight: 1) { dense(16) relu dense(1) }");
    const adv = ok.models[0]!.losses[1]!;
    expect(adv).toMatchObject({ kind: "adversarial", weight: 1, lr: 1e-4, parameters: 8 * 16 + 16 + 16 + 1 });
    expect(ok.models[0]!.totals.parameters).toBe(64 * 8 + 8 + 8 * 64 + 64 + 8 * 16 + 16 + 16 + 1);
  });
});
