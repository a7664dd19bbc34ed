/**
 * `count:` on every built-in set: MNIST's and Fashion-MNIST's first N
 * training examples and first round(N / 6) test ones, exactly those of the
 * whole set; absent, the IR is what it was (its hash unchanged); above the
 * set's size, a located error.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { loadData } from "../../src/data/load.js";
import type { IrModel } from "../../src/ir/model.js";

const spec = (data: string) => `model m {
  input: [28, 28, 1]
  encoder { flatten }
  bottleneck: gaussian(2)
  decoder { dense(784) sigmoid reshape([28, 28, 1]) }
  loss { reconstruction(bernoulli) kl() }
  train { data: ${data} }
}
`;

function ir(text: string, overrides: string[] = []): IrModel {
  const c = compile(text, { overrides });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  return c.models[0]!;
}

describe("count on mnist and fashion_mnist", () => {
  // fashion_mnist's package is optional (not installed here): its count is checked through the IR and the facts only.
  it("fashion_mnist(count: 1000): 1,000 training and 167 test examples in the IR's facts", () => {
    const m = ir(spec("fashion_mnist(count: 1000)"));
    expect(m.train.data).toMatchObject({ kind: "fashion_mnist", count: 1000 });
    expect(m.train.dataFacts).toMatchObject({ trainSize: 1000, testSize: 167 });
  });

  for (const kind of ["mnist"] as const) {
    it(`${kind}(count: 1000): the first 1,000 training and 167 test examples of the whole set`, async () => {
      const whole = await loadData({ kind, span: { file: "", start: 0, end: 0 } }, { seed: 1 });
      const part = await loadData(ir(spec(`${kind}(count: 1000)`)).train.data!, { seed: 1 });
      if (!whole.ok || !part.ok) throw new Error("load");
      expect([part.value.train.count, part.value.test!.count]).toEqual([1000, 167]);
      expect(part.value.train.x).toEqual(whole.value.train.x.subarray(0, 1000 * 784));
      expect(Array.from(part.value.train.labels!)).toEqual(Array.from(whole.value.train.labels!.subarray(0, 1000)));
      expect(part.value.test!.x).toEqual(whole.value.test!.x.subarray(0, 167 * 784));
      expect(ir(spec(`${kind}(count: 1000)`)).train.dataFacts).toMatchObject({ trainSize: 1000, testSize: 167 });
    });
  }

  it("without count the IR has none, so its hash is what it was", () => {
    const m = ir(spec("mnist"));
    expect(m.train.data).toEqual({ kind: "mnist", span: m.train.data!.span });
    expect(m.train.dataFacts).toMatchObject({ trainSize: 60000, testSize: 10000 });
    expect(ir(spec("mnist(count: 60000)")).hash).not.toBe(m.hash);
  });

  it("is what a quick run says on the command line: --set 'train.data=mnist(count: 1000)'", () => {
    expect(ir(spec("mnist"), ["train.data=mnist(count: 1000)"]).train.data).toMatchObject({ kind: "mnist", count: 1000 });
  });

  it("refuses more than the set holds, at the count", () => {
    const text = spec("mnist(count: 60001)");
    const c = compile(text);
    expect(c.ok).toBe(false);
    const d = c.diagnostics.find((x) => x.code === "AE2108")!;
    expect(d.message).toMatch(/count: must be at most 60000 \(the set's training examples\), got 60001/);
    expect(text.slice(d.span.start, d.span.end)).toBe("60001");
  });
});
