/**
 * `npm run bench`: figures for the front end and the tfjs trainer, each
 * beside a peer measured in the same run. Prints; asserts nothing (tests
 * never assert wall times).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import { compile } from "../src/compile.js";
import { sourceFile } from "../src/diagnostics/span.js";
import { parse } from "../src/syntax/parse.js";
import { generateSpec, generateTypeScript } from "./generate.js";
import { lspLatencyBench } from "./lsp-latency.js";
import { onnxEncodeBench } from "./onnx-encode.js";
import { trainStepBench } from "./train-steps.js";

const root = resolve(import.meta.dirname, "../..");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeProcess(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  }
  return median(times);
}

function timeIt(f: () => void, minMs = 1500): number {
  f(); // warm-up
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 5) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const perSec = (lines: number, t: number) => `${Math.round((lines / t) * 1000).toLocaleString("en-US")} lines/s`;

// 1. cold process: `aespec check specs/*.aespec` against node's own start-up
const specs = readdirSync(join(root, "specs"))
  .filter((f) => f.endsWith(".aespec"))
  .map((f) => `specs/${f}`);
const runs = 15;
const nodeStart = timeProcess(["-e", "0"], runs);
const check = timeProcess(["bin/aespec.js", "check", ...specs], runs);
console.log(`cold process, median of ${runs}:`);
console.log(`  aespec check specs/*.aespec (${specs.length} files)  ${ms(check)}`);
console.log(`  node -e 0 (the floor)                      ${ms(nodeStart)}`);
console.log(`  aespec's own share                         ${ms(check - nodeStart)}`);

// 2. throughput on a generated 10,000-line file, against TypeScript's parser on the same content
const spec = generateSpec(10_000);
const tsText = generateTypeScript(10_000);
const lines = spec.split("\n").length - 1;
const tsLines = tsText.split("\n").length - 1;
const src = sourceFile("bench.aespec", spec);
const parsed = parse(src);
const compiled = compile(spec, { file: "bench.aespec" });
if (parsed.diagnostics.length > 0 || !compiled.ok) throw new Error("benchmark input does not check clean");
const tParse = timeIt(() => parse(src));
const tCheck = timeIt(() => compile(spec, { file: "bench.aespec" }));
const tTs = timeIt(() => ts.createSourceFile("bench.ts", tsText, ts.ScriptTarget.ES2022, false));
console.log(`\nthroughput on ${lines.toLocaleString("en-US")} lines (${compiled.models.length} models, ${(spec.length / 1024).toFixed(0)} KiB), median:`);
console.log(`  aespec parse                 ${ms(tParse).padStart(9)}  ${perSec(lines, tParse)}`);
console.log(`  aespec parse + check         ${ms(tCheck).padStart(9)}  ${perSec(lines, tCheck)}`);
console.log(`  peer: TypeScript 5 parser    ${ms(tTs).padStart(9)}  ${perSec(tsLines, tTs)} (same content as TS literals)`);

// 3. the language server on a 1,000-line file, beside TypeScript's language service
await lspLatencyBench(root);

// 4. training steps of bench/models/ on each tfjs backend, beside PyTorch
await trainStepBench(root);

// 5. encoding 10,000 MNIST test images: onnxruntime-node against the tfjs forward pass
await onnxEncodeBench(root);

// maxRSS is in KiB; the whole run's peak, tfjs backends included.
console.log(`\npeak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
