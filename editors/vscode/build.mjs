// Packages the VS Code extension offline: esbuild bundles the client (vscode-languageclient included)
// into dist/extension.js, and vsce packs the folder without resolving dependencies (nothing to fetch).
// Usage: node editors/vscode/build.mjs [--out FILE.vsix]   (npm run package:vscode)
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const outArg = process.argv.indexOf("--out");
const out = resolve(outArg >= 0 ? process.argv[outArg + 1] : join(root, "dist", "aespec-vscode.vsix"));

await build({
  entryPoints: [join(here, "src", "extension.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  outfile: join(here, "dist", "extension.js"),
  minify: true,
  logLevel: "warning",
});

mkdirSync(dirname(out), { recursive: true });
const vsce = join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
const r = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "-o", out], {
  cwd: here,
  stdio: "inherit",
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(`wrote ${out}`);
