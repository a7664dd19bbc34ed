import { describe, expect, it } from "vitest";
import { check, model, only, spanText } from "./helpers.js";

describe("lets", () => {
  it("evaluate in any order, with arithmetic and negation", () => {
    const c = check(`let h = w * 2\nlet w = (3 + 1) / 2 - -2\n${model({ encoder: "encoder { dense(h) }" })}`);
    expect(c.diagnostics).toEqual([]);
    expect(c.models[0]!.encoder[0]).toMatchObject({ kind: "dense", units: 8 });
  });

  it("can name words and calls, used where they fit", () => {
    const c = check(`let pad = valid\nlet d = sprites(size: 28)\nmodel m {
      input: [28, 28, 1] in [0, 1]
      encoder { conv(2, kernel: 3, padding: pad) }
      bottleneck: gaussian(2)
      decoder { deconv(1, kernel: 3, padding: pad) }
      train { data: d }
    }`);
    expect(c.diagnostics).toEqual([]);
    expect(c.models[0]!.train.data).toMatchObject({ kind: "sprites", size: 28 });
    expect(c.models[0]!.encoder[0]!.outShape).toEqual([26, 26, 2]);
  });

  it("AE2002: a duplicate let, related to the first", () => {
    const c = check(`let a = 1\nlet a = 2\n${model({ encoder: "encoder { dense(a) }" })}`);
    const d = only(c, "AE2002");
    expect(c.text.slice(d.span.start, d.span.end + 4)).toBe("a = 2");
    expect(d.related[0]!.span.start).toBe(4);
    expect(c.models[0]!.encoder[0]).toMatchObject({ units: 1 }); // the first wins
  });

  it("AE2003: unknown name with a suggestion over lets", () => {
    const c = check(`let width = 4\n${model({ encoder: "encoder { dense(widht) }" })}`);
    const d = only(c, "AE2003");
    expect(d.message).toBe("unknown name 'widht'");
    expect(d.hint).toBe("did you mean 'width'?");
  });

  it("AE2004: a cycle is reported once with the references along it; users stay quiet", () => {
    const c = check(`let a = b + 1\nlet b = c * 2\nlet c = a\n${model({ encoder: "encoder { dense(a) dense(b) }" })}`);
    const d = only(c, "AE2004");
    expect(d.message).toBe("let 'a' is defined in terms of itself (a -> b -> c -> a)");
    expect(d.related.map((r) => r.message)).toEqual(["'a' refers to 'b' here", "'b' refers to 'c' here", "'c' refers to 'a' here"]);
    expect(c.codes).toEqual(["AE2004"]);
    expect(c.models).toEqual([]); // the model uses a broken let
  });

  it("AE2004: a let that refers to itself", () => {
    const c = check(`let a = a + 1\n${model({ encoder: "encoder { dense(a) }" })}`);
    expect(c.codes).toEqual(["AE2004"]);
  });

  it("AE2010: division by zero and overflow", () => {
    const c = check(`let a = 1 / (2 - 2)\nlet b = 1e308 * 10\n${model({ encoder: "encoder { dense(a) dense(b) }" })}`);
    expect(c.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AE2010", "division by zero"],
      ["AE2010", "the result is not a finite number"],
    ]);
  });

  it("AE2011: arithmetic on a word", () => {
    const c = check(`let a = relu * 2\n${model({ encoder: "encoder { dense(a) }" })}`);
    const d = only(c, "AE2011");
    expect(d.message).toBe("arithmetic needs numbers, got 'relu'");
    expect(spanText(c, d)).toBe("relu");
  });

  it("AE2705: an unused let warns; a let used only by a used let does not", () => {
    const c = check(`let unused = 3\nlet base = 4\nlet w = base * 2\n${model({ encoder: "encoder { dense(w) }" })}`);
    const d = only(c, "AE2705");
    expect(d.severity).toBe("warning");
    expect(d.message).toBe("let 'unused' is never used");
    expect(c.models).toHaveLength(1);
  });

  it("a layer named like a let is still the layer", () => {
    const c = check(`let relu = 3\n${model({ encoder: "encoder { dense(relu) relu }" })}`);
    expect(c.diagnostics).toEqual([]);
    expect(c.models[0]!.encoder.map((l) => l.kind)).toEqual(["dense", "activation"]);
  });
});
