/**
 * `aespec train --target pytorch` end to end, in process (the CLI's main) with the package's Python:
 * it trains into the shared run contract (metrics.jsonl with the tfjs target's schema, a checkpoint
 * aespec reads), `aespec eval` measures the run, its ONNX export computes what the PyTorch model
 * computes, a resumed run is the straight run exactly; a missing Python, a trainer that dies, and
 * package outputs over other files are refused with located errors and nothing lost.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { npyBytes } from "../../../src/data/npy-write.js";
import { Rng } from "../../../src/data/rng.js";
import { exportRun } from "../../../targets/onnx/index.js";
import { captureIo } from "../../support/capture-io.js";
import { tempDir } from "../../support/temp-dir.js";
import { agreement, randomInput, runOnnx } from "../onnx/helpers.js";
import { pythonTorch } from "./python-torch.js";

const SPEC = `model small_vae {
  input: [8]
  encoder { dense(16) relu batchnorm }
  bottleneck: gaussian(2)
  decoder { dense(16) relu dense(8) }
  loss { reconstruction(mse) kl(warmup: 1) }
  train { data: lowrank(dim: 8, rank: 2, count: 256) batch: 32 epochs: 2 validation: 0.25 seed: 4 }
}
`;

function specFile(text = SPEC): string {
  const f = join(tempDir("aespec-pytorch-"), "small.aespec");
  writeFileSync(f, text);
  return f;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const { io, out, err } = captureIo();
    const code = await main(args, io);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const metrics = (run: string) =>
  readFileSync(join(run, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every key path of a JSON value, arrays by their first element. */
function keyPaths(v: unknown, at = ""): string[] {
  if (Array.isArray(v)) return v.length === 0 ? [at] : keyPaths(v[0], `${at}[]`);
  if (v === null || typeof v !== "object") return [at];
  return Object.entries(v).flatMap(([k, x]) => keyPaths(x, `${at}.${k}`));
}

/** The metrics without what depends on the clock. */
const timeless = (m: Record<string, unknown>) => ({ ...m, seconds: 0, examplesPerSecond: 0 });

const available = pythonTorch() !== null;

describe.skipIf(!available)("aespec train --target pytorch", () => {
  const trained = (() => {
    let r: Promise<{ run: string; out: string; file: string }> | null = null;
    return () =>
      (r ??= (async () => {
        const file = specFile();
        const run = join(tempDir("aespec-pytorch-"), "run");
        const t = await cli(["train", file, "--target", "pytorch", "--device", "cpu", "--out", run]);
        // The latent of this small VAE carries under a nat: the collapse warning the tfjs target gives, once.
        expect(t.err.match(/warning AE\d+/g)).toEqual(["warning AE3107"]);
        expect(t.err).toMatch(/small\.aespec:4:15: warning AE3107: posterior collapse at epoch 1: the latent carries [\d.]+ nats in all \(under 1 nat\)/);
        expect(t.code).toBe(0);
        return { run, out: t.out, file };
      })());
  })();

  it("trains into the run contract: progress lines, metrics.jsonl with the tfjs target's schema, the checkpoint, the package", async () => {
    const { run, out, file } = await trained();
    expect(out).toMatch(/^backend PyTorch \d+\.\d+.* \(cpu\)$/m);
    expect(out).toMatch(/^training small_vae: 192 examples \(64 held out for validation\), 6 steps an epoch, 2 epochs$/m);
    expect(out).toMatch(/^epoch 1\/2 {2}train [\d.]+ \(reconstruction [\d.]+, kl [\d.]+; objective [\d.]+ during the kl warm-up\) {2}validation /m);
    expect(out).toMatch(/^epoch 2\/2 /m);
    expect(readdirSync(run).sort()).toEqual(["checkpoint", "ir.json", "metrics.jsonl", "pytorch", "spec.aespec"]);
    expect(readFileSync(join(run, "spec.aespec"), "utf8")).toBe(SPEC);
    const torch = metrics(run);
    expect(torch.map((m) => m["epoch"])).toEqual([1, 2]);
    const tfjsRun = join(tempDir("aespec-pytorch-"), "tfjs");
    expect((await cli(["train", file, "--backend", "cpu", "--out", tfjsRun])).code).toBe(0);
    const tfjs = metrics(tfjsRun);
    torch.forEach((m, i) => expect(keyPaths(m).sort()).toEqual(keyPaths(tfjs[i]).sort()));
    // The step curve: the tfjs target's windows, and its windows average to the epoch's mean.
    type Curve = { at: number[]; examples: number[]; total: number[] };
    torch.forEach((m, i) => {
      const c = m["curve"] as Curve;
      expect(c.at).toEqual((tfjs[i]!["curve"] as Curve).at);
      expect(c.examples).toEqual((tfjs[i]!["curve"] as Curve).examples);
      const mean = c.total.reduce((s, t, w) => s + t * c.examples[w]!, 0) / c.examples.reduce((s, n) => s + n, 0);
      expect(mean).toBeCloseTo((m["train"] as { total: number }).total, 9);
    });
    const checkpoint = JSON.parse(readFileSync(join(run, "checkpoint", "checkpoint.json"), "utf8")) as {
      state: { epoch: number };
      weights: { tensors: { name: string }[] };
    };
    const tfjsCheckpoint = JSON.parse(readFileSync(join(tfjsRun, "checkpoint", "checkpoint.json"), "utf8")) as typeof checkpoint;
    expect(checkpoint.state.epoch).toBe(2);
    expect(checkpoint.weights.tensors.map((t) => t.name)).toEqual(tfjsCheckpoint.weights.tensors.map((t) => t.name));
  }, 120_000);

  it("is measured by `aespec eval` like a tfjs run", async () => {
    const { run } = await trained();
    const e = await cli(["eval", run, "--json"]);
    expect(e.err).toBe("");
    expect(e.code).toBe(0);
    const report = JSON.parse(e.out) as Record<string, unknown>;
    expect(JSON.stringify(report)).toMatch(/"reconstruction"/);
  }, 60_000);

  it("exports to ONNX that computes what the PyTorch model computes (|a - b| <= 1e-5 + 1e-3 |b|)", async () => {
    const { run } = await trained();
    const x = randomInput([7, 8], new Rng(3, "onnx-input"));
    const dir = tempDir("aespec-pytorch-");
    writeFileSync(join(dir, "x.npy"), npyBytes(x, [7, 8]));
    // The package's own model, with the run's checkpoint, in evaluation mode.
    const script = [
      "import sys, json, numpy as np, torch",
      "sys.path.insert(0, sys.argv[1])",
      "from aespec_torch.trainer import Trainer, main",
      "from aespec_torch.checkpoint import read_checkpoint",
      "from aespec_torch.autoencoder import Run",
      "import argparse",
      "t = Trainer(sys.argv[1], argparse.Namespace(device='cpu', events=False, data=None))",
      "t.load_weights(read_checkpoint(sys.argv[2])[1])",
      "t.model.eval()",
      "x = torch.from_numpy(np.load(sys.argv[3]))",
      "with torch.no_grad():",
      "    out = t.model(x, Run(False, None))",
      "json.dump({'reconstruction': out['reconstruction'].flatten().tolist(), 'mean': out['gaussian'][0].flatten().tolist()}, sys.stdout)",
    ].join("\n");
    const py = spawnSync(pythonTorch()!.python, ["-c", script, join(run, "pytorch"), join(run, "checkpoint"), join(dir, "x.npy")], { encoding: "utf8" });
    expect(py.stderr).toBe("");
    const torch = JSON.parse(py.stdout) as { reconstruction: number[]; mean: number[] };
    for (const [part, output, ref] of [
      ["autoencoder", "reconstruction", torch.reconstruction],
      ["encoder", "mean", torch.mean],
    ] as const) {
      const bytes = exportRun(run, part);
      if (!bytes.ok) throw new Error(bytes.diagnostic.message);
      const got = await runOnnx(bytes.value, { input: { data: x, dims: [7, 8] } });
      const a = agreement(got[output]!.data as Float32Array, ref);
      expect(a.bad, `${part} ${output}: max abs ${a.maxAbs}, max rel ${a.maxRel}`).toBe(0);
    }
  }, 60_000);

  it("resumes exactly: 1 epoch and then --resume to 2 is the straight 2-epoch run, bit for bit", async () => {
    const { run: straight, file } = await trained();
    const resumed = join(tempDir("aespec-pytorch-"), "run");
    const first = await cli(["train", file, "--target", "pytorch", "--device", "cpu", "--out", resumed, "--set", "train.epochs=1"]);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/warning AE3107: posterior collapse at epoch 1/);
    const second = await cli(["train", file, "--target", "pytorch", "--device", "cpu", "--out", resumed, "--resume"]);
    // Collapsed since epoch 1 (its metrics.jsonl says so): no second warning.
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    expect(second.out).not.toMatch(/^epoch 1\/2/m);
    expect(second.out).toMatch(/^epoch 2\/2/m);
    expect(metrics(resumed).map(timeless)).toEqual(metrics(straight).map(timeless));
    for (const f of ["weights.bin", "optimizer.bin"])
      expect(readFileSync(join(resumed, "checkpoint", f)).equals(readFileSync(join(straight, "checkpoint", f))), f).toBe(true);
  }, 120_000);

  it("a trainer that dies is AE3114 with its status and last line; the run keeps what it had", async () => {
    const dir = tempDir("aespec-pytorch-");
    const fake = join(dir, "python");
    // Answers the probe as the real Python does; dies on train.py as a Python out of memory would.
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$1" = "-c" ]; then exec ${pythonTorch()!.executable} "$@"; fi\necho 'Traceback (most recent call last):' >&2\necho 'MemoryError: cannot allocate 2.3 GiB' >&2\nexit 7\n`,
    );
    chmodSync(fake, 0o755);
    const run = join(dir, "run");
    const t = await cli(["train", specFile(), "--target", "pytorch", "--out", run], { AESPEC_PYTHON: fake });
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/small\.aespec:1:1: error AE3114: the PyTorch trainer exited with status 7 after epoch 0: MemoryError: cannot allocate 2\.3 GiB/);
    expect(t.err).toMatch(/= hint: the package is .*run\/pytorch; run its train\.py by hand/);
    expect(existsSync(join(run, "pytorch", "model.py"))).toBe(true);
    expect(existsSync(join(run, "checkpoint"))).toBe(false);
  }, 60_000);
});

describe("refusals of the PyTorch target", () => {
  it("no Python with torch: AE3113 with the install command, and no run folder", async () => {
    const out = join(tempDir("aespec-pytorch-"), "run");
    const t = await cli(["train", specFile(), "--target", "pytorch", "--out", out], { AESPEC_PYTHON: "/nonexistent/python3" });
    expect(t.code).toBe(1);
    expect(t.err).toMatch(
      /error AE3113: the PyTorch target needs Python 3 with torch >= 1\.13 and numpy; none was found \(\/nonexistent\/python3: not found\)/,
    );
    expect(t.err).toMatch(/apt-get install python3-torch python3-numpy/);
    expect(existsSync(out)).toBe(false);
  });

  it("what it cannot train yet: AE3102 at its place, before any Python runs", async () => {
    const t = await cli(["train", specFile(SPEC.replace(" kl(warmup: 1)", " kl(warmup: 1) contractive(weight: 0.1)")), "--target", "pytorch"], {
      AESPEC_PYTHON: "/nonexistent/python3",
    });
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/small\.aespec:6:\d+: error AE3102: the contractive term with batchnorm in the encoder is not supported by the PyTorch target yet/);
    expect(t.err).not.toMatch(/AE3113/);
  });

  it("compile --emit pytorch: needs -o, refuses a folder of other files and an output that is an input; writes nothing then", async () => {
    const file = specFile();
    const none = await cli(["compile", file, "--emit", "pytorch"]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/-o/);
    const foreign = tempDir("aespec-pytorch-");
    writeFileSync(join(foreign, "notes.txt"), "mine");
    const over = await cli(["compile", file, "--emit", "pytorch", "-o", foreign]);
    expect(over.code).toBe(1);
    expect(over.err).toMatch(/error AE3205: cannot write the PyTorch package into '.*': it holds files that are not an aespec package/);
    expect(readdirSync(foreign)).toEqual(["notes.txt"]);
    const onInput = await cli(["compile", file, "--emit", "pytorch", "-o", file]);
    expect(onInput.code).toBe(1);
    expect(readFileSync(file, "utf8")).toBe(SPEC);
    const ok = join(tempDir("aespec-pytorch-"), "pkg");
    const written = await cli(["compile", file, "--emit", "pytorch", "-o", ok]);
    expect(written.code).toBe(0);
    expect(readdirSync(ok).sort()).toEqual(["README.md", "aespec.json", "aespec_torch", "data", "ir.json", "model.py", "spec.aespec", "train.py"]);
    expect(readdirSync(join(ok, "data")).sort()).toEqual(["train.npy", "validation.npy"]);
    // Writing it again over its own earlier output is allowed (a package is recognised by aespec.json).
    expect((await cli(["compile", file, "--emit", "pytorch", "-o", ok])).code).toBe(0);
  });
});
