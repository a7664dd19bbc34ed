import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

describe("resource budget", () => {
  it("AE2601: dense(1e12) is refused in well under a second, with one error at that layer", () => {
    const t0 = performance.now();
    const c = check(model({ encoder: "encoder { dense(1e12) relu }" }));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(c.codes).toEqual(["AE2601"]);
    const d = c.diagnostics[0]!;
    expect(spanText(c, d)).toBe("dense(1e12)");
    // 64 * 1e12 + 1e12 in the layer; plus 2 * (1e12 * 8 + 8) in the gaussian head and 8 * 64 + 64 in the decoder
    expect(d.message).toBe("too many parameters: 8.1e13 (295 TiB as float32), the limit is 1.0e9 (3.7 GiB); this layer has 6.5e13");
    expect(c.models).toEqual([]);
  });

  it("AE2601 just over the limit; a model just under passes", () => {
    // dense(n) on [1000]: 1001 * n parameters; 1e9 / 1001 = 999000.999...
    const over = check(model({ input: "input: [1000]", encoder: "encoder { dense(1000000) }", decoder: "decoder { dense(1000) }" }));
    expect(over.codes).toEqual(["AE2601"]);
    const under = check(model({ input: "input: [1000]", encoder: "encoder { dense(990000) }", decoder: "decoder { dense(1000) }" }));
    // 990000 * 1001 + 2 * (990000 * 8 + 8) + 8 * 1000 + 1000 = 1,006,839,016: still over
    expect(under.codes).toEqual(["AE2601"]);
    const fits = check(model({ input: "input: [1000]", encoder: "encoder { dense(900000) }", decoder: "decoder { dense(1000) }" }));
    // 900000 * 1001 + 2 * (900000 * 8 + 8) + 9000 = 915,309,016
    expect(fits.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(fits.models[0]!.totals.parameters).toBe(915309016);
  });

  it("AE2602: activations of a batch over 8 GiB, at the largest layer", () => {
    // dense(3e6) keeps 12 MB per example; with batch 1000, 12 GB
    const text = model({ encoder: "encoder { dense(100) dense(3000000) }", extra: "train { batch: BATCH }" });
    const c = check(text.replace("BATCH", "1000"));
    const d = only(c, "AE2602");
    expect(spanText(c, d)).toBe("dense(3000000)");
    expect(d.message).toMatch(/^activations take 11 GiB for a batch of 1000 \(11 MiB per example\)/);
    // the same model with batch 100 fits (parameters: 100 * 3e6 well under 1e9)
    expect(check(text.replace("BATCH", "100")).diagnostics.filter((x) => x.severity === "error")).toEqual([]);
  });
});
