import { workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/**
 * The extension: starts `aespec lsp --stdio` (or the command the setting
 * `aespec.server.command` gives) for .aespec files. Everything else (diagnostics,
 * hover, inlay hints, completion, formatting) is the server's.
 */
let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const [command, ...args] = workspace.getConfiguration("aespec").get<string[]>("server.command") ?? ["aespec", "lsp", "--stdio"];
  const run = { command: command ?? "aespec", args, transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const server: ServerOptions = { run, debug: run };
  // CSV files too: the server reads a data file open in the editor from its unsaved text.
  const options: LanguageClientOptions = { documentSelector: [{ language: "aespec" }, { scheme: "file", pattern: "**/*.csv" }] };
  client = new LanguageClient("aespec", "aespec", server, options);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
