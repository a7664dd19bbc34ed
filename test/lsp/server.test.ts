import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodeActionRequest,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SemanticTokensRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
  type MarkupContent,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { main } from "../../src/cli/main.js";
import { format } from "../../src/syntax/format.js";
import { sourceFile } from "../../src/diagnostics/span.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";
import { REPO_ROOT } from "../support/language-reference.js";
import { fileUri, startClient, type LspClient } from "./client.js";
import { positionIn } from "./text-position.js";

const VAE = join(REPO_ROOT, "specs", "vae.aespec");
const DEEP = join(REPO_ROOT, "specs", "deep.aespec");
const vaeText = readFileSync(VAE, "utf8");
const deepText = readFileSync(DEEP, "utf8");
const vaeUri = fileUri(VAE);
const deepUri = fileUri(DEEP);

let client: LspClient;
beforeAll(async () => {
  client = await startClient();
  await client.open(vaeUri, vaeText);
  await client.open(deepUri, deepText);
}, 30_000);
afterAll(async () => client.close());

const hoverAt = async (uri: string, text: string, needle: string, delta = 0, nth = 0): Promise<string> => {
  const h: Hover | null = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionIn(text, needle, delta, nth) });
  return h === null ? "" : (h.contents as MarkupContent).value;
};
const completionAt = async (uri: string, text: string, needle: string, delta = 0, nth = 0): Promise<string[]> => {
  const r = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionIn(text, needle, delta, nth) })) as
    CompletionItem[] | CompletionList | null;
  const items = r === null ? [] : Array.isArray(r) ? r : r.items;
  return items.map((i) => i.label);
};

describe("aespec lsp: a real server process over JSON-RPC on stdio", () => {
  it("initializes with every feature it serves", () => {
    const c = client.capabilities;
    expect(c.hoverProvider).toBe(true);
    expect(c.inlayHintProvider).toBe(true);
    expect(c.completionProvider).toBeDefined();
    expect(c.renameProvider).toEqual({ prepareProvider: true });
    for (const k of ["definitionProvider", "referencesProvider", "documentSymbolProvider", "foldingRangeProvider", "documentFormattingProvider"] as const) {
      expect(c[k]).toBe(true);
    }
    expect(c.semanticTokensProvider?.legend.tokenTypes).toContain("function");
  });

  it("publishes no diagnostics for a clean spec, and the typo of a change at its place with its code and hint", async () => {
    expect((await client.diagnostics(vaeUri, 1)).diagnostics).toEqual([]);
    const uri = "file:///tmp/aespec-lsp-typo.aespec";
    const clean = "model m {\n  input: [4]\n  encoder { dense(3) relu }\n  bottleneck: deterministic(2)\n  decoder { dense(4) }\n}\n";
    expect((await client.open(uri, clean)).diagnostics).toEqual([]);
    const typo = clean.replace("dense(3)", "dens(3)");
    const d = (await client.change(uri, typo)).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]!.code).toBe("AE2101");
    expect(d[0]!.severity).toBe(1);
    expect(d[0]!.range).toEqual({ start: { line: 2, character: 12 }, end: { line: 2, character: 16 } });
    expect(d[0]!.message).toBe("unknown layer 'dens'\nhint: did you mean 'dense'?");
    // The quick fix the checker stated: 'dens' -> 'dense'.
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d[0]!.range,
      context: { diagnostics: d },
    });
    expect(actions).toHaveLength(1);
    const action = actions![0] as { title: string; edit: WorkspaceEdit };
    expect(action.title).toBe("replace 'dens' with 'dense'");
    expect(action.edit.changes![uri]).toEqual([{ range: d[0]!.range, newText: "dense" }]);
    // Fixed again: the diagnostics go.
    expect((await client.change(uri, clean)).diagnostics).toEqual([]);
  });

  it("reports a syntax error at its place, and related places of a duplicate", async () => {
    const uri = "file:///tmp/aespec-lsp-dup.aespec";
    const text = "let a = 1\nlet a = 2\n";
    const d = (await client.open(uri, text)).diagnostics;
    const dup = d.find((x) => x.code === "AE2002")!;
    expect(dup.range.start).toEqual({ line: 1, character: 4 });
    expect(dup.relatedInformation?.[0]?.location).toEqual({ uri, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } } });
    const broken = (await client.change(uri, "model m {\n  input: [4,]\n}\n")).diagnostics;
    expect(broken[0]!.code).toMatch(/^AE1/);
    expect(broken[0]!.range.start.line).toBe(1);
  });

  it("a data file open in the editor is read from its unsaved text, and from disk again once closed", async () => {
    const dir = tempDir("aespec-lsp-data-");
    writeFileSync(join(dir, "d.csv"), "1,2,3\n".repeat(8));
    const spec = join(dir, "m.aespec");
    const text = 'model m {\n  input: [3]\n  bottleneck: deterministic(2)\n  decoder { dense(3) }\n  train { data: "d.csv" }\n}\n';
    const uri = fileUri(spec);
    expect((await client.open(uri, text)).diagnostics).toEqual([]);
    const csv = fileUri(join(dir, "d.csv"));
    const mismatch = client.nextDiagnostics(uri);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: csv, languageId: "csv", version: 1, text: "1,2,3,4\n".repeat(8) },
    });
    const d = (await mismatch).diagnostics;
    expect(d.map((x) => x.severity)).toContain(1);
    expect(d.map((x) => x.message).join("\n")).toContain("[4]");
    const clean = client.nextDiagnostics(uri);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: csv } });
    expect((await clean).diagnostics).toEqual([]);
  });

  it("hover on a layer: its shapes, parameters and activation bytes", async () => {
    const h = await hoverAt(vaeUri, vaeText, "dense(512)", 1);
    expect(h).toContain("**dense**: layer");
    expect(h).toContain("encoder · `dense(512)`: [784] → [512] · 401,920 parameters · 2.0 KiB of activations per example");
    const relu = await hoverAt(vaeUri, vaeText, "relu", 1);
    expect(relu).toContain("[512] → [512] · 0 parameters");
  });

  it("hover on the bottleneck, a loss term (its formula), a call's defaults, a let and a data set", async () => {
    expect(await hoverAt(vaeUri, vaeText, "gaussian(16)", 2)).toContain("bottleneck · `gaussian(16)`: [256] → latent [16] · 8,224 parameters");
    const kl = await hoverAt(vaeUri, vaeText, "kl(beta", 1);
    expect(kl).toContain("beta · Σ_units max(free_bits, mean_batch KL(q(z|x) ‖ N(0, I)))");
    expect(kl).toContain("defaults that apply: `free_bits: 0`");
    const adam = await hoverAt(vaeUri, vaeText, "adam(lr", 1);
    expect(adam).toContain("defaults that apply: `beta1: 0.9`, `beta2: 0.999`, `epsilon: 1e-8`");
    expect(await hoverAt(deepUri, deepText, "let width", 5)).toBe("**let width** = `512`");
    expect(await hoverAt(deepUri, deepText, "width / 4", 1)).toBe("**let width** = `512`");
    const mnist = await hoverAt(vaeUri, vaeText, "data: mnist", 8);
    expect(mnist).toContain("examples [28, 28, 1] · values in [0, 1] · 60,000 training examples · 10,000 test examples · with labels");
    const sprites = await hoverAt(vaeUri, vaeText, "sprites(size", 2);
    expect(sprites).toContain("defaults that apply: `count: 60000`");
    expect(await hoverAt(vaeUri, vaeText, "model vae", 7)).toContain("1,079,600 parameters (4.1 MiB as float32)");
    expect(await hoverAt(vaeUri, vaeText, "batch: 128", 2)).toBe("**batch**: train setting, default `128`");
  });

  it("completion offers what is valid where the cursor stands", async () => {
    const uri = "file:///tmp/aespec-lsp-complete.aespec";
    const text = [
      "let h = 64",
      "model base {",
      "  input: [4]",
      "  encoder { dense(h) relu conv(8, ) }",
      "  bottleneck: gaussian(2)",
      "  decoder { dense(4) }",
      "  loss { reconstruction(mse) kl(beta: 2) }",
      "  train { data: lowrank optimizer: adam(lr: 1e-3) init: torch }",
      "}",
      "model child extends base { }",
      "",
    ].join("\n");
    await client.open(uri, text);
    const at = (needle: string, delta = 0, nth = 0) => completionAt(uri, text, needle, delta, nth);
    // 1. the top level: the two items a file holds
    expect(await at("", 0)).toEqual(["model", "let"]);
    // 2. in a model, between sections: the section keywords
    expect(await at("  encoder", 2)).toEqual(["input", "corrupt", "encoder", "bottleneck", "decoder", "prior", "loss", "train"]);
    // 3. in an encoder block: layers, no loss terms, no settings
    const layers = await at("dense(h)", 0);
    expect(layers).toContain("conv");
    expect(layers).toContain("relu");
    expect(layers).not.toContain("kl");
    expect(layers).not.toContain("epochs");
    // 4. a layer's keyword arguments after its first, not the one already given, and no section names
    const convArgs = await at("conv(8, ", 8);
    expect(convArgs).toEqual(["kernel:", "stride:", "padding:", "h"]);
    // 5. after `bottleneck:` the bottleneck kinds
    expect(await at("gaussian(2)", 0)).toEqual(["deterministic", "gaussian", "vq", "ladder"]);
    // 6. in `loss`: the loss terms
    expect(await at("kl(beta", 0)).toEqual(["reconstruction", "kl", "contractive", "mmd", "adversarial", "commitment"]);
    // 7. a loss term's positional enum: the likelihoods
    expect(await at("reconstruction(mse", 15)).toEqual(expect.arrayContaining(["likelihood:", "on:", "mse", "bernoulli", "gaussian"]));
    // 8. kl's keyword arguments, and the lets for its first (beta, a number)
    expect(await at("kl(beta", 3)).toEqual(["beta:", "warmup:", "free_bits:", "h"]);
    // 9. in `train`: the settings not written yet
    const settings = await at("init: torch", 12);
    expect(settings).toEqual(["schedule", "batch", "epochs", "seed", "validation", "early_stop"]);
    // 10. after `data:` the data sets; after `optimizer:` the optimizers; after `init:` its schemes
    expect(await at("data: lowrank", 6)).toEqual(["mnist", "fashion_mnist", "sprites", "sphere", "lowrank"]);
    expect(await at("optimizer: adam", 11)).toEqual(["adam", "sgd", "rmsprop"]);
    expect(await at("init: torch", 6)).toEqual(["torch", "he", "glorot"]);
    // 11. an optimizer's arguments
    expect(await at("adam(lr", 5)).toEqual(["lr:", "beta1:", "beta2:", "epsilon:", "h"]);
    // 12. after `extends`: the other models
    expect(await at("extends base", 8)).toEqual(["base"]);
    // 13. a let where a number goes: in a shape
    expect(await at("[4]", 1)).toEqual(["h"]);
    // 14. beside a data file, `test` too (a built-in set has its own), and after `test:` no data set
    const fileUri = "file:///tmp/aespec-lsp-complete-file.aespec";
    const fileText = 'model m {\n  input: [4]\n  bottleneck: gaussian(2)\n  decoder { dense(4) }\n  train { data: "x.npy" batch: 8 test: }\n}\n';
    await client.open(fileUri, fileText);
    expect(await completionAt(fileUri, fileText, "batch: 8", 0)).toEqual([
      "test",
      "optimizer",
      "schedule",
      "init",
      "batch",
      "epochs",
      "seed",
      "validation",
      "early_stop",
    ]);
    expect(await completionAt(fileUri, fileText, "test: }", 6)).toEqual([]);
  });

  it("a half-typed file (unclosed braces and parentheses) still answers hover and completion", async () => {
    const uri = "file:///tmp/aespec-lsp-half.aespec";
    const text = "let h = 64\nmodel ae {\n  input: [784]\n  encoder { dense(h) relu dense(\n  bottleneck: deterministic(8)\n  decoder { dense(784) sigmoid\n";
    const d = (await client.open(uri, text)).diagnostics;
    expect(d.some((x) => x.severity === 1)).toBe(true);
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionIn(text, "dense(h)", 1) });
    expect((h!.contents as MarkupContent).value).toContain("[784] → [64] · 50,240 parameters");
    const inCall = await completionAt(uri, text, "dense(\n", 6);
    expect(inCall).toContain("units:");
    const inDecoder = await completionAt(uri, text, "sigmoid", 7);
    expect(inDecoder).toContain("dense");
    expect(inDecoder).not.toContain("epochs");
  });

  it("go to definition, references and rename of a let and of an extends base", async () => {
    const def: Location | null = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: deepUri },
      position: positionIn(deepText, "width / 4", 2),
    })) as Location | null;
    expect(def).toEqual({ uri: deepUri, range: { start: positionIn(deepText, "let width", 4), end: positionIn(deepText, "let width", 9) } });
    const refs = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: deepUri },
      position: positionIn(deepText, "let width", 4),
      context: { includeDeclaration: true },
    });
    // let width, dense(width), dense(width / 4) twice, dense(width)
    expect(refs).toHaveLength(5);
    const base = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: deepUri },
      position: positionIn(deepText, "extends deep_ae", 9),
    });
    expect(base).toEqual({ uri: deepUri, range: { start: positionIn(deepText, "model deep_ae", 6), end: positionIn(deepText, "model deep_ae", 13) } });
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: deepUri },
      position: positionIn(deepText, "model deep_ae", 7),
    });
    expect(prepared).toEqual({
      range: { start: positionIn(deepText, "model deep_ae", 6), end: positionIn(deepText, "model deep_ae", 13) },
      placeholder: "deep_ae",
    });
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: deepUri },
      position: positionIn(deepText, "model deep_ae", 7),
      newName: "plain",
    });
    const edits = edit!.changes![deepUri]!;
    expect(edits).toHaveLength(4); // the model and its three children's `extends`
    expect(applyEdits(deepText, edits)).toBe(deepText.replaceAll("deep_ae", "plain"));
    await expect(
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: deepUri }, position: positionIn(deepText, "let width", 5), newName: "2x" }),
    ).rejects.toThrow(/'2x' is not a name/);
  });

  it("formatting edits give exactly what aespec fmt prints", async () => {
    const uri = "file:///tmp/aespec-lsp-fmt.aespec";
    const text = "model m{input:[4] encoder{dense(3)   relu}\nbottleneck:deterministic(2) decoder{dense(4)}}";
    await client.open(uri, text);
    const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    expect(applyEdits(text, edits)).toBe(format(sourceFile("x", text)).text);
    const formatted = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: vaeUri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(formatted).toEqual([]);
  });

  it("document symbols and folding ranges: models with their sections, lets", async () => {
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: deepUri } })) as {
      name: string;
      children?: { name: string }[];
    }[];
    expect(symbols.map((s) => s.name)).toEqual(["width", "deep_ae", "denoising", "contractive", "masked"]);
    expect(symbols[1]!.children!.map((c) => c.name)).toEqual(["input", "encoder", "bottleneck", "decoder", "loss", "train"]);
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: deepUri } });
    expect(folds).toContainEqual({ startLine: positionIn(deepText, "model deep_ae").line, endLine: positionIn(deepText, "model denoising").line - 2 });
  });

  it("semantic tokens tell a layer from a word, a let from a number", async () => {
    const uri = "file:///tmp/aespec-lsp-tokens.aespec";
    const text = "let h = 2\nmodel m { input: [4] encoder { dense(h) relu } bottleneck: deterministic(h) decoder { conv(4, padding: same) } }\n";
    await client.open(uri, text);
    const r = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    const legend = client.capabilities.semanticTokensProvider!.legend;
    const decoded = decodeTokens(r!.data, text, legend.tokenTypes);
    expect(decoded).toEqual([
      ["let", "keyword"],
      ["h", "variable"],
      ["2", "number"],
      ["model", "keyword"],
      ["m", "class"],
      ["input", "keyword"],
      ["4", "number"],
      ["encoder", "keyword"],
      ["dense", "function"],
      ["h", "variable"],
      ["relu", "function"],
      ["bottleneck", "keyword"],
      ["deterministic", "function"],
      ["h", "variable"],
      ["decoder", "keyword"],
      ["conv", "function"],
      ["4", "number"],
      ["padding", "parameter"],
      ["same", "enumMember"],
    ]);
  });
});

describe("inlay hints equal aespec summary's shapes for every model of specs/", () => {
  const specs = ["adversarial", "deep", "linear", "vae", "vqvae"];
  it.each(specs)("specs/%s.aespec", async (name) => {
    const path = join(REPO_ROOT, "specs", `${name}.aespec`);
    const text = readFileSync(path, "utf8");
    const uri = fileUri(path);
    await client.open(uri, text);
    const hints = (await client.connection.sendRequest("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } },
    })) as { position: { line: number; character: number }; label: string }[];
    const { compileFile } = await import("../../src/compile.js");
    const { opsOf } = await import("../../src/lsp/model-ops.js");
    const { positionOf } = await import("../../src/lsp/positions.js");
    const c = compileFile(path);
    const src = c.sources.get(path)!;
    let checked = 0;
    for (const ir of c.models) {
      const cap = captureIo();
      expect(await main(["summary", path, "--model", ir.name], cap.io)).toBe(0);
      const lines = cap.out.join("").split("\n");
      const header = lines.findIndex((l) => l.startsWith("part "));
      const rows = lines.slice(header + 1, lines.indexOf("", header)).map((l) => l.split(/ {2,}/));
      const ops = opsOf(ir);
      expect(rows.length).toBe(ops.length);
      const model = c.ast!.items.find((i) => i.kind === "Model" && i.name.name === ir.name)!;
      ops.forEach((op, i) => {
        const span = "layer" in op ? op.layer.span : op.bottleneck.span;
        if (span.start < model.span.start || span.end > model.span.end) return; // inherited: hinted in its base
        // The bottleneck's hint follows its whole section (a ladder's block of levels included).
        const section = model.kind === "Model" ? model.sections.find((x) => x.kind === "BottleneckSection") : undefined;
        const at = positionOf(src, op.part === "bottleneck" && section !== undefined ? section.span.end : span.end);
        const hint = hints.find((h) => h.position.line === at.line && h.position.character === at.character);
        expect(hint?.label, `${ir.name}: ${rows[i]![1]}`).toBe(` -> ${rows[i]![2]}`);
        checked++;
      });
      const total = lines.find((l) => l.startsWith("total:"))!.match(/^total: +([\d,]+) parameters/)![1];
      const nameEnd = positionOf(src, model.name.span.end);
      expect(hints.find((h) => h.position.line === nameEnd.line && h.position.character === nameEnd.character)?.label).toBe(` ${total} parameters`);
    }
    expect(checked).toBeGreaterThan(0);
  });
});

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split("\n");
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function decodeTokens(data: readonly number[], text: string, types: readonly string[]): [string, string][] {
  const lines = text.split("\n");
  const out: [string, string][] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i] === 0 ? char + data[i + 1]! : data[i + 1]!;
    out.push([lines[line]!.slice(char, char + data[i + 2]!), types[data[i + 3]!]!]);
  }
  return out;
}
