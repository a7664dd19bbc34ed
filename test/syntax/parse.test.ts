import { describe, expect, it } from "vitest";
import type { Binary, Call, Expr, LossSection, Model, Section, TrainSection } from "../../src/syntax/ast.js";
import { languageExamples, parseText, textOf } from "./parse-helpers.js";

function onlyModel(text: string): { model: Model; text: (s: { start: number; end: number }) => string } {
  const r = parseText(text);
  expect(r.diagnostics).toEqual([]);
  expect(r.file.items).toHaveLength(1);
  const model = r.file.items[0] as Model;
  expect(model.kind).toBe("Model");
  return { model, text: (s) => r.source.text.slice(s.start, s.end) };
}

function section<K extends Section["kind"]>(m: Model, kind: K): Extract<Section, { kind: K }> {
  const s = m.sections.find((x) => x.kind === kind);
  if (s === undefined) throw new Error(`no ${kind}`);
  return s as Extract<Section, { kind: K }>;
}

/** An expression as a fully parenthesised string, to check grouping. */
function show(e: Expr): string {
  switch (e.kind) {
    case "Number":
      return e.text;
    case "Neg":
      return `(-${show(e.operand)})`;
    case "Binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "Call":
      return e.args === null ? e.callee.name : `${e.callee.name}(${e.args.length})`;
  }
}

describe("docs/language.md", () => {
  const examples = languageExamples();

  it("has the examples this test expects", () => {
    expect(examples.length).toBeGreaterThanOrEqual(9);
  });

  examples.forEach((text, i) => {
    it(`example ${i + 1} parses without diagnostics`, () => {
      const r = parseText(text);
      expect(r.diagnostics).toEqual([]);
      const models = r.file.items.filter((x) => x.kind === "Model");
      const written = text.match(/^model /gm)?.length ?? 0;
      expect(models).toHaveLength(written);
    });
  });
});

describe("AST", () => {
  it("builds lets and models in source order", () => {
    const r = parseText("let a = 1\nmodel m { }\nlet b = 2\nmodel n extends m { }\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.items.map((x) => `${x.kind}:${x.name.name}`)).toEqual(["Let:a", "Model:m", "Let:b", "Model:n"]);
    const n = r.file.items[3] as Model;
    expect(n.base?.name).toBe("m");
    expect(textOf(r.source, n.base!.span)).toBe("m");
    expect(textOf(r.source, n.span)).toBe("model n extends m { }");
    expect(r.file.span).toEqual({ file: "test.aespec", start: 0, end: r.source.text.length });
  });

  it("gives every section its keyword span and a span from keyword to end", () => {
    const text = `model m {
  input: [28, 28, 1] in [0, 1]
  corrupt: gaussian(sigma: 0.3)
  encoder { flatten dense(512) relu }
  bottleneck: ladder(skip: true) { gaussian(64) gaussian(32) }
  decoder { dense(784) sigmoid }
  prior: normal
  loss { reconstruction(bernoulli) adversarial(weight: 1) { dense(1) } }
  train { data: mnist batch: 128 }
}`;
    const { model, text: t } = onlyModel(text);
    expect(model.sections.map((s) => `${s.kind}|${t(s.keyword)}|${t(s.span)}`)).toEqual([
      "InputSection|input|input: [28, 28, 1] in [0, 1]",
      "CorruptSection|corrupt|corrupt: gaussian(sigma: 0.3)",
      "EncoderSection|encoder|encoder { flatten dense(512) relu }",
      "BottleneckSection|bottleneck|bottleneck: ladder(skip: true) { gaussian(64) gaussian(32) }",
      "DecoderSection|decoder|decoder { dense(784) sigmoid }",
      "PriorSection|prior|prior: normal",
      "LossSection|loss|loss { reconstruction(bernoulli) adversarial(weight: 1) { dense(1) } }",
      "TrainSection|train|train { data: mnist batch: 128 }",
    ]);
    const input = section(model, "InputSection");
    expect(input.shape.dims.map((d) => t(d.span))).toEqual(["28", "28", "1"]);
    expect(t(input.range!.span)).toBe("in [0, 1]");
    expect(t(input.range!.low.span)).toBe("0");
    expect(section(model, "EncoderSection").layers.map((c) => t(c.span))).toEqual(["flatten", "dense(512)", "relu"]);
    const bottleneck = section(model, "BottleneckSection");
    expect(t(bottleneck.call.span)).toBe("ladder(skip: true)");
    expect(bottleneck.block!.map((c) => t(c.span))).toEqual(["gaussian(64)", "gaussian(32)"]);
  });

  it("pairs loss terms with their blocks and settings with their values", () => {
    const { model, text: t } = onlyModel(
      'model m { loss { a(1) { dense(1) relu } b c { x } d(2) } train { data: sprites(size: 64) lr: 1e-3 path: "a\\"b" shape: [1, 2] } }',
    );
    const loss: LossSection = section(model, "LossSection");
    expect(loss.terms.map((x) => `${t(x.call.span)}=${x.block === null ? "-" : x.block.map((c) => t(c.span)).join(",")}`)).toEqual([
      "a(1)=dense(1),relu",
      "b=-",
      "c=x",
      "d(2)=-",
    ]);
    expect(t(loss.terms[0]!.span)).toBe("a(1) { dense(1) relu }");
    const train: TrainSection = section(model, "TrainSection");
    expect(train.settings.map((s) => `${s.name.name}=${t(s.value.span)}|${t(s.span)}`)).toEqual([
      "data=sprites(size: 64)|data: sprites(size: 64)",
      "lr=1e-3|lr: 1e-3",
      'path="a\\"b"|path: "a\\"b"',
      "shape=[1, 2]|shape: [1, 2]",
    ]);
    const path = train.settings[2]!.value;
    expect(path).toMatchObject({ kind: "String", value: 'a"b' });
    expect(train.settings[3]!.value.kind).toBe("Shape");
  });

  it("tells `name` from `name()` and keyword from positional arguments", () => {
    const { model, text: t } = onlyModel("model m { encoder { flatten kl() conv(32, kernel: 4) } }");
    const [flatten, kl, conv] = section(model, "EncoderSection").layers as [Call, Call, Call];
    expect(flatten.args).toBeNull();
    expect(kl.args).toEqual([]);
    expect(t(kl.span)).toBe("kl()");
    expect(conv.args!.map((a) => `${a.name?.name ?? "_"}:${t(a.value.span)}:${t(a.span)}`)).toEqual(["_:32:32", "kernel:4:kernel: 4"]);
  });

  it("keeps number text, folds chains to the left, binds * tighter, and keeps no parentheses", () => {
    const r = parseText("let a = 1 - 2 - 3\nlet b = 1 + 2 * 3 / 4\nlet c = -(1 + 2) * 1e-3\nlet d = ((7))\nlet e = .5 - -x");
    expect(r.diagnostics).toEqual([]);
    const values = r.file.items.map((x) => (x.kind === "Let" ? x.value : null)!);
    expect(values.map(show)).toEqual(["((1 - 2) - 3)", "(1 + ((2 * 3) / 4))", "((-(1 + 2)) * 1e-3)", "7", "(.5 - (-x))"]);
    expect(values.map((v) => textOf(r.source, v.span))).toEqual(["1 - 2 - 3", "1 + 2 * 3 / 4", "-(1 + 2) * 1e-3", "((7))", ".5 - -x"]);
    const c = values[2] as Binary;
    expect(c.left).toMatchObject({ kind: "Neg" });
    expect(textOf(r.source, c.left.span)).toBe("-(1 + 2)");
    expect(values[2]).toMatchObject({ right: { kind: "Number", value: 0.001, text: "1e-3" } });
    expect(values[3]).toMatchObject({ kind: "Number", value: 7, text: "7" });
  });

  it("collects comments in source order, with their delimiters", () => {
    const text = "// head\nmodel m { /* inner */ input: [1] } // tail\n/* a\n b */";
    const r = parseText(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.file.comments.map((c) => c.text)).toEqual(["// head", "/* inner */", "// tail", "/* a\n b */"]);
    for (const c of r.file.comments) expect(textOf(r.source, c.span)).toBe(c.text);
  });

  it("lexes keywords only as whole words", () => {
    const r = parseText("let inputs = 1 let letter = inputs model models { encoder { input_norm } }");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.items.map((x) => x.name.name)).toEqual(["inputs", "letter", "models"]);
  });

  it("parses an empty file and a file of comments", () => {
    expect(parseText("").file.items).toEqual([]);
    const r = parseText("// nothing here\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.comments).toHaveLength(1);
  });
});
