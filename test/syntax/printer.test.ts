import { describe, expect, it } from "vitest";
import type * as A from "../../src/syntax/ast.js";
import { printCall, printExpr, printFile, printValue } from "../../src/syntax/printer.js";
import { arg, call, DUMMY_SPAN as S, ident, num } from "./arbitrary.js";

const x = call("x", null);
const y = call("y", null);
const z = call("z", null);
const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.Binary => ({ kind: "Binary", op, left, right, span: S });
const neg = (operand: A.Expr): A.Neg => ({ kind: "Neg", operand, span: S });
const str = (value: string): A.StringLit => ({ kind: "String", value, span: S });
const shape = (...dims: A.Expr[]): A.ShapeLit => ({ kind: "Shape", dims, span: S });

describe("printExpr", () => {
  it("keeps only the parentheses precedence needs", () => {
    expect(printExpr(bin("-", x, bin("-", y, z)))).toBe("x - (y - z)");
    expect(printExpr(bin("-", bin("-", x, y), z))).toBe("x - y - z");
    expect(printExpr(bin("*", bin("+", x, y), z))).toBe("(x + y) * z");
    expect(printExpr(bin("+", bin("*", x, y), z))).toBe("x * y + z");
    expect(printExpr(bin("+", x, bin("*", y, z)))).toBe("x + y * z");
    expect(printExpr(bin("/", x, bin("*", y, z)))).toBe("x / (y * z)");
    expect(printExpr(bin("*", bin("/", x, y), z))).toBe("x / y * z");
    expect(printExpr(bin("+", x, bin("+", y, z)))).toBe("x + (y + z)");
    expect(printExpr(bin("*", x, bin("-", y, z)))).toBe("x * (y - z)");
  });

  it("applies unary minus to a primary", () => {
    expect(printExpr(neg(num("1")))).toBe("-1");
    expect(printExpr(neg(x))).toBe("-x");
    expect(printExpr(neg(bin("+", x, y)))).toBe("-(x + y)");
    expect(printExpr(neg(neg(x)))).toBe("-(-x)");
    expect(printExpr(bin("-", x, neg(num("1"))))).toBe("x - -1");
    expect(printExpr(bin("*", neg(x), y))).toBe("-x * y");
  });

  it("prints numbers as written", () => {
    expect(printExpr(num("1e-3"))).toBe("1e-3");
    expect(printExpr(num(".50"))).toBe(".50");
    expect(printExpr(num("2.5E+4"))).toBe("2.5E+4");
  });
});

describe("printValue and printCall", () => {
  it("re-escapes strings", () => {
    expect(printValue(str('a "b" \\c'))).toBe('"a \\"b\\" \\\\c"');
    expect(printValue(str(""))).toBe('""');
  });

  it("prints shapes and arguments", () => {
    expect(printValue(shape(num("28"), num("28"), num("1")))).toBe("[28, 28, 1]");
    expect(printCall(call("conv", [arg(null, num("32")), arg("kernel", num("4")), arg("padding", call("same", null))]))).toBe(
      "conv(32, kernel: 4, padding: same)",
    );
    expect(printCall(call("reshape", [arg(null, shape(num("7"), bin("*", num("7"), num("2"))))]))).toBe("reshape([7, 7 * 2])");
    expect(printCall(call("flatten", null))).toBe("flatten");
    expect(printCall(call("kl", []))).toBe("kl()");
    expect(printCall(call("f", [arg("path", str("x.npy")), arg("g", call("h", [arg(null, neg(x))]))]))).toBe('f(path: "x.npy", g: h(-x))');
  });
});

const sectionBase = { keyword: S, span: S };

function model(name: string, base: string | null, sections: A.Section[]): A.Model {
  return { kind: "Model", name: ident(name), base: base === null ? null : ident(base), sections, span: S };
}

function file(items: (A.Let | A.Model)[]): A.File {
  return { kind: "File", items, comments: [], span: S };
}

const layers = (...cs: A.Call[]): A.Call[] => cs;
const dense = (u: number): A.Call => call("dense", [arg(null, num(String(u)))]);
const bare = (name: string): A.Call => call(name, null);

describe("printFile", () => {
  it("lays out every section kind canonically", () => {
    const m = model("aae", "base", [
      {
        kind: "InputSection",
        ...sectionBase,
        shape: shape(num("28"), num("28"), num("1")),
        range: { kind: "Range", low: neg(num("1")), high: num("1"), span: S },
      },
      { kind: "CorruptSection", ...sectionBase, call: call("gaussian", [arg("sigma", num("0.3"))]) },
      { kind: "EncoderSection", ...sectionBase, layers: layers(bare("flatten"), dense(512), bare("relu"), bare("tanh"), bare("batchnorm"), bare("relu")) },
      {
        kind: "BottleneckSection",
        ...sectionBase,
        call: call("ladder", [arg("skip", bare("true"))]),
        block: [call("gaussian", [arg(null, num("64"))]), bare("relu")],
      },
      { kind: "PriorSection", ...sectionBase, call: bare("normal") },
      { kind: "DecoderSection", ...sectionBase, layers: [] },
      {
        kind: "LossSection",
        ...sectionBase,
        terms: [
          { kind: "LossTerm", call: call("reconstruction", [arg(null, bare("bernoulli"))]), block: null, span: S },
          {
            kind: "LossTerm",
            call: call("adversarial", [arg("weight", num("1")), arg("lr", num("1e-4"))]),
            block: [dense(256), bare("relu"), dense(1)],
            span: S,
          },
          { kind: "LossTerm", call: call("odd", []), block: [], span: S },
        ],
      },
      {
        kind: "TrainSection",
        ...sectionBase,
        settings: [
          { kind: "Setting", name: ident("data"), value: str("x.npy"), span: S },
          { kind: "Setting", name: ident("optimizer"), value: call("adam", [arg("lr", num("1e-3"))]), span: S },
        ],
      },
    ]);
    expect(printFile(file([model("empty", null, []), m]))).toBe(
      [
        "model empty {}",
        "",
        "model aae extends base {",
        "  input: [28, 28, 1] in [-1, 1]",
        "  corrupt: gaussian(sigma: 0.3)",
        "  encoder {",
        "    flatten",
        "    dense(512) relu tanh",
        "    batchnorm relu",
        "  }",
        "  bottleneck: ladder(skip: true) {",
        "    gaussian(64)",
        "    relu",
        "  }",
        "  prior: normal",
        "  decoder {}",
        "  loss {",
        "    reconstruction(bernoulli)",
        "    adversarial(weight: 1, lr: 1e-4) {",
        "      dense(256) relu",
        "      dense(1)",
        "    }",
        "    odd() {}",
        "  }",
        "  train {",
        '    data: "x.npy"',
        "    optimizer: adam(lr: 1e-3)",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps lets together and separates other items by one blank line", () => {
    const letA: A.Let = { kind: "Let", name: ident("a"), value: num("1"), span: S };
    const letB: A.Let = { kind: "Let", name: ident("b"), value: bin("*", x, num("2")), span: S };
    const m = model("m", null, [{ kind: "EncoderSection", ...sectionBase, layers: [bare("relu")] }]);
    expect(printFile(file([letA, letB, m, letA]))).toBe("let a = 1\nlet b = x * 2\n\nmodel m {\n  encoder {\n    relu\n  }\n}\n\nlet a = 1\n");
  });

  it("prints an empty file as empty text", () => {
    expect(printFile(file([]))).toBe("");
  });

  it("without the source, prints every comment on its own line before the code after it", () => {
    const sp = (start: number, end: number) => ({ file: "f", start, end });
    // As if parsed from: "// top\nlet a = 1 // one\n/* end */" (offsets by hand).
    const f: A.File = {
      kind: "File",
      items: [{ kind: "Let", name: { ...ident("a"), span: sp(11, 12) }, value: { ...num("1"), span: sp(15, 16) }, span: sp(7, 16) }],
      comments: [
        { kind: "Comment", text: "// top", span: sp(0, 6) },
        { kind: "Comment", text: "// one", span: sp(17, 23) },
        { kind: "Comment", text: "/* end */", span: sp(24, 33) },
      ],
      span: sp(0, 33),
    };
    expect(printFile(f)).toBe("// top\nlet a = 1\n// one\n/* end */\n");
  });
});
