import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { REPO_ROOT } from "../support/language-reference.js";

/**
 * A real LSP client for the tests: JSON-RPC over the stdio of a real
 * `aespec lsp` process (the built CLI), as an editor speaks to it.
 */
export interface LspClient {
  readonly connection: ProtocolConnection;
  readonly capabilities: InitializeResult["capabilities"];
  readonly process: ChildProcess;
  open(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  /** Replaces the whole text; resolves with the diagnostics of that version. */
  change(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  /** Diagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  /** The next diagnostics published for `uri` after this call (a spec re-checked when a data file it reads changes). */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

export const CLI = join(REPO_ROOT, "bin", "aespec.js");

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export async function startClient(): Promise<LspClient> {
  const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiting: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const next: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of next.filter((x) => x.uri === p.uri)) {
      next.splice(next.indexOf(w), 1);
      w.resolve(p);
    }
    for (const w of [...waiting]) {
      if (w.uri === p.uri && (p.version ?? -1) >= w.version) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const versions = new Map<string, number>();
  const diagnostics = (uri: string, version: number) =>
    new Promise<PublishDiagnosticsParams>((resolve) => {
      const done = published.find((p) => p.uri === uri && (p.version ?? -1) >= version);
      if (done !== undefined) resolve(done);
      else waiting.push({ uri, version, resolve });
    });
  return {
    connection,
    capabilities: init.capabilities,
    process: child,
    async open(uri, text) {
      versions.set(uri, 1);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "aespec", version: 1, text } });
      return diagnostics(uri, 1);
    },
    async change(uri, text) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
      return diagnostics(uri, version);
    },
    diagnostics,
    nextDiagnostics: (uri) => new Promise((resolve) => next.push({ uri, resolve })),
    async close() {
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
      connection.dispose();
    },
  };
}
