import { describe, expect, it } from "vitest";
import { check, only, spanText } from "./helpers.js";

const VAE = `model vae {
  input: [64] in [0, 1]
  encoder { dense(32) relu }
  bottleneck: gaussian(8)
  decoder { dense(64) sigmoid }
  loss { reconstruction(bernoulli) kl(beta: 2) }
  train { data: lowrank(dim: 64) epochs: 3 }
}
`;

describe("models and extends", () => {
  it("a child's section replaces the base's whole; the rest is inherited", () => {
    const c = check(`${VAE}model plain extends vae {
      loss { reconstruction(mse) }
      train { epochs: 5 }
    }`);
    expect(c.diagnostics).toEqual([]);
    const [vae, plain] = c.models;
    expect(plain!.losses.map((t) => t.kind)).toEqual(["reconstruction"]);
    expect(plain!.train.epochs).toBe(5);
    expect(plain!.train.data).toBeNull(); // train was replaced whole: no data any more
    expect(plain!.encoder).toEqual(vae!.encoder);
    expect(plain!.bottleneck).toEqual(vae!.bottleneck);
  });

  it("chains of extends resolve through every base", () => {
    const c = check(`${VAE}model b extends vae { bottleneck: gaussian(4) }\nmodel c extends b { encoder { dense(16) } }`);
    expect(c.diagnostics).toEqual([]);
    const m = c.models.find((x) => x.name === "c")!;
    expect(m.bottleneck).toMatchObject({ kind: "gaussian", units: 4, parameters: 2 * (16 * 4 + 4) });
  });

  it("AE2001: a duplicate model, related to the first", () => {
    const c = check(`${VAE}model vae { input: [1] }`);
    const d = only(c, "AE2001");
    expect(d.related[0]!.message).toBe("first defined here");
    expect(c.models).toHaveLength(1);
  });

  it("AE2005: unknown base with a suggestion; the child is not checked further", () => {
    const c = check(`${VAE}model child extends vea { encoder { dens(3) } }`);
    const d = only(c, "AE2005");
    expect(spanText(c, d)).toBe("vea");
    expect(d.hint).toBe("did you mean 'vae'?");
    expect(c.codes).toEqual(["AE2005"]);
  });

  it("AE2006: a cycle, reported once at the first model's extends, with the others related", () => {
    const c = check(`model a extends c { }\nmodel b extends a { }\nmodel c extends b { }\nmodel d extends a { }`);
    const d = only(c, "AE2006");
    expect(d.message).toBe("model 'a' extends itself (a -> c -> b -> a)");
    expect(spanText(c, d)).toBe("c");
    expect(d.related.map((r) => r.message)).toEqual(["'c' extends 'b' here", "'b' extends 'a' here"]);
    expect(c.codes).toEqual(["AE2006"]); // d, extending into the cycle, is not checked
  });

  it("AE2007: a section twice in one model", () => {
    const c = check(VAE.replace("encoder { dense(32) relu }", "encoder { dense(32) relu } encoder { }"));
    const d = only(c, "AE2007");
    expect(d.message).toBe("section 'encoder' appears twice in model 'vae'");
    expect(d.related[0]!.message).toBe("first one here");
    expect(c.models).toEqual([]);
  });

  it("AE2008: required sections after inheritance, at the model name", () => {
    const c = check("model m { input: [4] }");
    expect(c.diagnostics.map((d) => d.message)).toEqual(["model 'm' has no bottleneck section", "model 'm' has no decoder section"]);
    expect(c.diagnostics.every((d) => spanText(c, d) === "m")).toBe(true);
    expect(check(`${VAE}model x extends vae { decoder { dense(64) } }`).diagnostics).toEqual([]);
  });

  it("errors in a base are reported once, at the base; its children stay quiet", () => {
    const c = check(`model base { input: [64] bottleneck: gaussian(8) decoder { dense(65) } }
      model child extends base { encoder { dense(32) } }
      model grandchild extends child { }`);
    expect(c.codes).toEqual(["AE2301"]);
    expect(c.models).toEqual([]);
  });

  it("a child can fix nothing in a broken base: it is not checked", () => {
    const c = check(`model base { input: [64] bottleneck: gaussian(8) decoder { dense(65) } }
      model fixed extends base { decoder { dense(64) } }`);
    expect(c.codes).toEqual(["AE2301"]);
    expect(c.models).toEqual([]);
  });

  it("with `model`, only that model and its bases are checked", () => {
    const text = `${VAE}model other { input: [1] }\nmodel child extends vae { bottleneck: gaussian(2) }`;
    const c = check(text, { model: "child" });
    expect(c.diagnostics).toEqual([]);
    expect(c.models.map((m) => m.name)).toEqual(["child"]);
    expect(check(text).codes).toEqual(["AE2008", "AE2008"]);
  });

  it("a model with errors is absent, the others are kept", () => {
    const c = check(`${VAE}model broken extends vae { encoder { dense(0) } }`);
    expect(c.codes).toEqual(["AE2108"]);
    expect(c.models.map((m) => m.name)).toEqual(["vae"]);
  });
});
