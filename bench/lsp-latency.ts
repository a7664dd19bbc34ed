/**
 * The language server's latency on a 1,000-line file, beside TypeScript's own
 * language service on the same content written as TypeScript (generate.ts).
 * In process: one analysis of the edited text (what every change costs) against
 * the TypeScript service's syntactic and semantic diagnostics after the same
 * kind of edit. End to end: the real `aespec lsp` process, from a didChange
 * sent to its publishDiagnostics received (the debounce included), and
 * hover and completion round trips.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { analyze } from "../src/lsp/analysis.js";
import { DEFAULT_DEBOUNCE_MS } from "../src/lsp/server.js";
import { generateSpec, generateTypeScript } from "./generate.js";

const EDITS = 40;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9);

/** The i-th edit of a text: one number changed (a model's seed), as a user types. */
const edited = (text: string, i: number, pattern: RegExp) => text.replace(pattern, (_m, pre: string) => `${pre}${100 + i}`);

export async function lspLatencyBench(root: string): Promise<void> {
  const spec = generateSpec(1000);
  const lines = spec.split("\n").length - 1;
  const uri = "file:///bench/latency.aespec";

  // In process: the analysis every change costs.
  const inProcess: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text = edited(spec, i, /(seed: )0/);
    const t0 = performance.now();
    const a = analyze(uri, i, text);
    inProcess.push(performance.now() - t0);
    if (a.diagnostics.length > 0) throw new Error("the benchmark's spec does not check clean");
  }

  // Peer: TypeScript's language service, the same content, diagnostics after each edit.
  const declarations =
    "declare function f(...a: unknown[]): object;\n" +
    ["flatten", "dense", "relu", "gaussian", "sigmoid", "reshape", "reconstruction", "kl", "mnist", "adam"]
      .map((n) => `declare const ${n}: typeof f;`)
      .join("\n") +
    "\n";
  const tsBase = declarations + generateTypeScript(1000);
  const tsLines = tsBase.split("\n").length - 1;
  let tsText = tsBase;
  let version = 0;
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => ["latency.ts"],
    getScriptVersion: () => String(version),
    getScriptSnapshot: (name) => (name === "latency.ts" ? ts.ScriptSnapshot.fromString(tsText) : undefined),
    getCurrentDirectory: () => "/",
    getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, noLib: true, strict: true }),
    getDefaultLibFileName: () => "lib.d.ts",
    fileExists: (name) => name === "latency.ts",
    readFile: (name) => (name === "latency.ts" ? tsText : undefined),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const tsTimes: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    tsText = edited(tsBase, i, /(seed: )0\b/);
    version++;
    const t0 = performance.now();
    const d = [...service.getSyntacticDiagnostics("latency.ts"), ...service.getSemanticDiagnostics("latency.ts")];
    tsTimes.push(performance.now() - t0);
    if (d.length > 0) throw new Error(`the TypeScript peer has diagnostics: ${ts.flattenDiagnosticMessageText(d[0]!.messageText, "\n")}`);
  }

  // End to end: the real server process.
  const child = spawn(process.execPath, [join(root, "bin", "aespec.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting: { version: number; resolve: () => void } | null = null;
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (waiting !== null && (p.version ?? -1) >= waiting.version) {
      const w = waiting;
      waiting = null;
      w.resolve();
    }
  });
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification(InitializedNotification.type, {});
  const published = (v: number) => new Promise<void>((resolve) => (waiting = { version: v, resolve }));
  let ready = published(1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "aespec", version: 1, text: spec } });
  await ready;
  const roundTrips: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const v = i + 2;
    ready = published(v);
    const t0 = performance.now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: v },
      contentChanges: [{ text: edited(spec, i, /(seed: )0/) }],
    });
    await ready;
    roundTrips.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 30)); // a pause between keystrokes, as a typist leaves
  }
  const position = { line: 6, character: 7 }; // `dense` of the first model's encoder
  const timeRequest = async (send: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const t0 = performance.now();
      await send();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const hover = await timeRequest(() => conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
  const complete = await timeRequest(() => conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }));
  await conn.sendRequest("shutdown");
  await conn.sendNotification("exit");
  conn.dispose();

  console.log(
    `\nlanguage server on ${lines.toLocaleString("en-US")} lines (TypeScript peer: the same content, ${tsLines.toLocaleString("en-US")} lines), median of ${EDITS} edits:`,
  );
  console.log(`  aespec: analysis of an edited text (parse, check, diagnostics)  ${ms(median(inProcess))}`);
  console.log(`  peer: TypeScript language service, diagnostics after an edit     ${ms(median(tsTimes))}`);
  console.log(`  aespec lsp process: didChange -> publishDiagnostics             ${ms(median(roundTrips))} (debounce ${DEFAULT_DEBOUNCE_MS} ms included)`);
  console.log(`  aespec lsp process: hover round trip                            ${ms(hover)}`);
  console.log(`  aespec lsp process: completion round trip                       ${ms(complete)}`);
}

if (process.argv[1]?.endsWith("lsp-latency.js")) await lspLatencyBench(join(import.meta.dirname, "..", ".."));
