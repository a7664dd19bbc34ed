#!/usr/bin/env node
/**
 * Builds native/blas (the OpenBLAS GEMM addon of the `wasm+blas` backend)
 * with the node-gyp that npm bundles.
 *
 *   node native/blas/build.mjs             `npm run build:native`: fails loudly
 *   node native/blas/build.mjs --optional  the `install` script: never fails,
 *                                          prints one line saying why not built
 *
 * Offline machines: node-gyp would download Node's headers unless told where
 * they are; when npm's `nodedir` is unset and the running Node has its headers
 * installed beside it (Debian's nodejs: /usr/include/node), they are used.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const optional = process.argv.includes("--optional");
const INSTALL_HINT = "apt-get install libopenblas-dev (Debian/Ubuntu)";

function skip(reason) {
  if (!optional) {
    console.error(`native/blas: not built: ${reason}`);
    process.exit(1);
  }
  console.log(`aespec: native GEMM not built (${reason}); training uses plain wasm. Build later with: npm run build:native`);
  process.exit(0);
}

if (process.env.AESPEC_SKIP_NATIVE === "1") skip("AESPEC_SKIP_NATIVE=1");
if (process.platform === "win32") skip("not supported on Windows");

/** Compiles (and links, when `link`) a tiny C program; the compiler's last line on failure. */
function tryCompile(cc, source, link) {
  const dir = mkdtempSync(join(tmpdir(), "aespec-blas-"));
  try {
    const file = join(dir, "probe.c");
    writeFileSync(file, source);
    const args = link ? [file, "-o", join(dir, "probe"), "-lopenblas"] : ["-c", file, "-o", join(dir, "probe.o")];
    const r = spawnSync(cc, args, { encoding: "utf8" });
    if (r.error) return r.error.message;
    if (r.status !== 0)
      return (
        (r.stderr || "")
          .trim()
          .split("\n")
          .filter((l) => /error/i.test(l))[0] ?? `exit ${r.status}`
      );
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cc = process.env.CC ?? "cc";
const ccVersion = spawnSync(cc, ["--version"], { encoding: "utf8" });
if (ccVersion.error || ccVersion.status !== 0) skip(`no C compiler (${cc})`);
const probe =
  "#include <cblas.h>\nint main(void) { float a = 1, b = 1, c = 0; cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1); return c == 1.0f ? 0 : 1; }\n";
if (tryCompile(cc, probe, false) !== null) skip(`no OpenBLAS headers (cblas.h); ${INSTALL_HINT}`);
const linkError = tryCompile(cc, probe, true);
if (linkError !== null) skip(`cannot link -lopenblas (${linkError}); ${INSTALL_HINT}`);

/** npm sets npm_config_node_gyp in its scripts; otherwise the copy bundled with the npm beside this node. */
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    join(dirname(process.execPath), "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  return candidates.find((p) => p !== undefined && p !== "" && existsSync(p)) ?? null;
}

const gyp = nodeGypScript();
if (gyp === null) skip("node-gyp not found (it ships with npm)");

const args = [gyp, "rebuild", "--directory", here];
const configured = process.env.npm_config_nodedir;
const prefix = join(dirname(process.execPath), "..");
if ((configured === undefined || configured === "") && existsSync(join(prefix, "include", "node", "node_api.h"))) {
  args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: optional ? "pipe" : "inherit", timeout: 300_000 });
if (r.error || r.status !== 0) {
  const out = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  const line = out.split("\n").find((l) => /gyp ERR! stack Error|error:|Could not find any Python/.test(l));
  skip(`node-gyp failed${line ? `: ${line.trim()}` : r.error ? `: ${r.error.message}` : ""}`);
}
const built = join(here, "build", "Release", "aespec_blas.node");
if (!existsSync(built)) skip(`node-gyp succeeded but ${built} is missing`);
console.log(`aespec: native GEMM built: ${built}`);
