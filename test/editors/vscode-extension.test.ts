import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/language-reference.js";
import { tempDir } from "../support/temp-dir.js";

/** The VS Code extension, packed offline into a .vsix as `npm run package:vscode` does. */
describe("editors/vscode packs into a .vsix with nothing to fetch", () => {
  const out = join(tempDir("aespec-vsix-"), "aespec.vsix");
  execFileSync(process.execPath, [join(REPO_ROOT, "editors", "vscode", "build.mjs"), "--out", out], { stdio: "pipe" });
  const listing = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).split("\n").filter(Boolean);
  const read = (entry: string) => execFileSync("unzip", ["-p", out, entry], { encoding: "utf8", maxBuffer: 1 << 26 });

  it("holds the manifest, the bundled client, the grammar and the language configuration", () => {
    for (const f of [
      "extension/package.json",
      "extension/dist/extension.js",
      "extension/syntaxes/aespec.tmLanguage.json",
      "extension/language-configuration.json",
    ]) {
      expect(listing).toContain(f);
    }
    expect(listing.some((f) => f.startsWith("extension/src/") || f.includes("node_modules"))).toBe(false);
  });

  it("its manifest declares the language, the grammar and the server command, each file it names packed", () => {
    const manifest = JSON.parse(read("extension/package.json")) as {
      main: string;
      contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { path: string; scopeName: string }[] };
    };
    const lang = manifest.contributes.languages[0]!;
    expect(lang).toMatchObject({ id: "aespec", extensions: [".aespec"] });
    expect(manifest.contributes.grammars[0]!.scopeName).toBe("source.aespec");
    for (const p of [manifest.main, lang.configuration, manifest.contributes.grammars[0]!.path]) expect(listing).toContain(join("extension", p));
  });

  it("the client is one file: it requires only Node's modules and vscode, and starts `aespec lsp --stdio`", () => {
    const js = read("extension/dist/extension.js");
    const required = new Set([...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const foreign = [...required].filter((r) => r !== "vscode" && !builtinModules.includes(r.replace(/^node:/, "")));
    expect(foreign).toEqual([]);
    expect(required.has("vscode")).toBe(true);
    const source = readFileSync(join(REPO_ROOT, "editors", "vscode", "package.json"), "utf8");
    expect(source).toContain('"default": ["aespec", "lsp", "--stdio"]');
  });
});
