/**
 * The VS Code extension's TextMate grammar (editors/vscode/syntaxes) loaded
 * into vscode-textmate, the engine VS Code runs grammars with, on oniguruma's
 * WebAssembly build (both development dependencies). For the editor's
 * screenshot and the grammar's tests.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

/** The grammar's file under a checkout's root. */
export const grammarFile = (root: string) => join(root, "editors", "vscode", "syntaxes", "aespec.tmLanguage.json");

export async function loadAespecGrammar(file: string): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(createRequire(import.meta.url).resolve("vscode-oniguruma/package.json"), "..", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(file, "utf8"), file),
  });
  return (await registry.loadGrammar("source.aespec"))!;
}
