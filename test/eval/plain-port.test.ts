/**
 * Evaluation is target-neutral: a second engine, written here in plain
 * JavaScript (float64, dense layers and activations only), reads a run's
 * checkpoint through the run contract and the IR's parameter table, serves
 * the evaluation port, and `aespec eval` measures it with the same code and
 * the same numbers as the tfjs target's own model; through the command line
 * too, as a target given in the table, whose runs `aespec report` then draws.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTargets, main } from "../../src/cli/main.js";
import { ok } from "../../src/data/result.js";
import type { EvalReport } from "../../src/eval/eval-report.js";
import { evaluatePort } from "../../src/eval/evaluate-run.js";
import type { ModelPort } from "../../src/eval/model-port.js";
import type { Layer } from "../../src/ir/layers.js";
import type { IrModel } from "../../src/ir/model.js";
import { BOTTLENECK_MAPS, checkpointTensors, layerPrefix, tensorName, type StackName } from "../../src/ir/parameters.js";
import { readRunResult } from "../../src/run/checkpoint.js";
import { RunDir } from "../../src/run/run-dir.js";
import { readRunIr } from "../../src/run/run-ir.js";
import type { Target } from "../../src/target/target.js";
import { evaluateRun } from "../../targets/tfjs/eval/evaluate-run.js";
import { createTrainer, compileModel } from "../../targets/tfjs/index.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";
import { useCpu } from "../targets/tfjs/train/helpers.js";

const SPEC = `model lin {
  input: [6]
  encoder { dense(4) tanh }
  bottleneck: deterministic(2)
  decoder { dense(4) relu dense(6) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 6, rank: 2, count: 120) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 9 }
}
`;

type Weights = ReadonlyMap<string, Float32Array>;
const ACT: Record<string, (v: number) => number> = { relu: (v) => Math.max(0, v), tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)) };

/** x [n, in] W + b in float64, from the checkpoint's `prefix.kernel` ([in, out], the table's `in_out`) and `prefix.bias`. */
function dense(w: Weights, prefix: string, x: Float64Array, n: number, inF: number, out: number): Float64Array {
  const k = w.get(tensorName(prefix, "kernel"))!;
  const b = w.get(tensorName(prefix, "bias"))!;
  const y = new Float64Array(n * out);
  for (let i = 0; i < n; i++)
    for (let o = 0; o < out; o++) {
      let s = b[o]!;
      for (let j = 0; j < inF; j++) s += x[i * inF + j]! * k[j * out + o]!;
      y[i * out + o] = s;
    }
  return y;
}

function stack(w: Weights, layers: readonly Layer[], name: StackName, x: Float64Array, n: number): Float64Array {
  return layers.reduce((h, l, i) => {
    if (l.kind === "dense") return dense(w, layerPrefix(name, i), h, n, l.inShape[0]!, l.units);
    if (l.kind === "activation") return h.map(ACT[l.fn]!);
    throw new Error(`the plain engine has no ${l.kind}`);
  }, x);
}

/** The plain engine's port over a run: weights read as the run contract gives them, named by the IR's table. */
function plainPort(runDir: string): ModelPort {
  const ir = readRunIr(runDir) as IrModel;
  const opened = RunDir.open(runDir);
  if (!opened.ok) throw new Error("cannot open");
  const c = readRunResult(opened.value);
  if (typeof c === "string") throw new Error(c);
  const weights = new Map(c.weights.map((t) => [t.name, t.values as Float32Array]));
  for (const p of checkpointTensors(ir)) expect(weights.get(p.name)?.length, p.name).toBe(p.shape.reduce((a, b) => a * b, 1));
  const units = ir.bottleneck.latentShape[0]!;
  const decode = (z: Float64Array, n: number) => Float32Array.from(stack(weights, ir.decoder, "decoder", z, n));
  return {
    ir,
    epoch: c.state.epoch,
    async forward(x, n) {
      const h = stack(weights, ir.encoder, "encoder", Float64Array.from(x), n);
      const z = dense(weights, BOTTLENECK_MAPS.deterministic, h, n, ir.bottleneck.inShape[0]!, units);
      return { reconstruction: decode(z, n), latent: Float32Array.from(z), gaussian: null, vqIndices: null, ladder: null };
    },
    async decodeLatent(z, n) {
      return decode(Float64Array.from(z), n);
    },
    priorShape: ir.bottleneck.latentShape,
    async decodePrior(z, n) {
      return decode(Float64Array.from(z), n);
    },
    forwardCorrupted: () => Promise.reject(new Error("no corruption")),
    sampleLadder: () => Promise.reject(new Error("no ladder")),
    dispose: () => undefined,
  };
}

let run = "";
beforeAll(async () => {
  await useCpu();
  const c = compileModel(SPEC);
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  run = join(tempDir("aespec-plain-port-"), "run");
  const r = await createTrainer(c.model, { outDir: run, specText: SPEC }).train();
  expect(r.status).toBe("completed");
  r.model?.dispose();
});

const close = (a: number | null, b: number | null) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b!)));
};

function expectSameReport(plain: EvalReport, tfjs: EvalReport): void {
  expect(plain.examples).toBe(tfjs.examples);
  expect(plain.epoch).toBe(tfjs.epoch);
  close(plain.reconstruction.mse, tfjs.reconstruction.mse);
  close(plain.interpolation!.ratio, tfjs.interpolation!.ratio);
  close(plain.interpolation!.decodedLength, tfjs.interpolation!.decodedLength);
}

const plainTarget: Target = {
  name: "plainjs",
  description: "dense layers in plain JavaScript",
  options: [],
  unsupported: async () => [],
  openModel: async (runDir) => ok({ port: plainPort(runDir), runtime: { name: "plainjs", summary: "plainjs (float64 loops)", details: [] } }),
};

describe("evaluation through the port", () => {
  it("gives a plain-JavaScript engine's run the tfjs target's numbers", async () => {
    const tfjs = await evaluateRun(run);
    if (!tfjs.ok) throw new Error(tfjs.diagnostic.message);
    const plain = await evaluatePort(plainPort(run), run);
    if (!plain.ok) throw new Error(plain.diagnostic.message);
    expectSameReport(plain.value, tfjs.value);
    expect(tfjs.value.reconstruction.mse).toBeGreaterThan(0);
  });

  it("is what `aespec eval --target` runs for a target that only opens a model", async () => {
    const targets = [...(await loadTargets()), plainTarget];
    const viaPlain = captureIo();
    expect(await main(["eval", run, "--json", "--target", "plainjs"], viaPlain.io, targets), viaPlain.err.join("")).toBe(0);
    const viaTfjs = captureIo();
    expect(await main(["eval", run, "--json", "--backend", "cpu"], viaTfjs.io, targets), viaTfjs.err.join("")).toBe(0);
    const [p, t] = [
      JSON.parse(viaPlain.out.join("")) as EvalReport & { backend: string },
      JSON.parse(viaTfjs.out.join("")) as EvalReport & { backend: string },
    ];
    expect([p.backend, t.backend]).toEqual(["plainjs", "cpu"]);
    expectSameReport(p, t);
  });

  it("lets `aespec report --target` draw the run with that engine: the same page, the metrics as tfjs measures them", async () => {
    const targets = [...(await loadTargets()), plainTarget];
    const pages: string[] = [];
    for (const args of [
      ["--target", "plainjs"],
      ["--backend", "cpu"],
    ]) {
      const { io, out, err } = captureIo();
      expect(await main(["report", run, ...args], io, targets), err.join("")).toBe(0);
      expect(out.join("")).toMatch(/wrote .*report\.html/);
      pages.push(readFileSync(join(run, "report.html"), "utf8"));
    }
    const [plain, tfjs] = pages as [string, string];
    const sections = (html: string) => [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(sections(plain)).toEqual(sections(tfjs));
    // Vector data: curves, codes, metrics, spec, and what is not shown (pictures, codebook).
    expect(sections(plain)).toEqual(["curves", "codes", "metrics", "run", "spec", "not-shown"]);
    const mse = (html: string) => /<td>reconstruction mse<\/td><td class="value">([^<]+)</.exec(html)?.[1];
    expect(mse(plain)).toBeDefined();
    expect(mse(plain)).toBe(mse(tfjs));
  });
});
