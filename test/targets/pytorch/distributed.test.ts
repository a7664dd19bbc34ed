/**
 * Data-parallel training of the PyTorch target under torchrun (gloo, CPU): 2 processes give the
 * losses of 1 process training the same global batch, within 1e-5 relative, for a deterministic
 * model with batch normalisation, a VAE (free bits, dropout, a corruption: noise drawn for the
 * whole batch) and a VQ-VAE with EMA and restarts, in batches that do not split evenly; a
 * two-node run on loopback (two torchrun launches with --nnodes 2) trains and resumes to the same
 * numbers; `aespec train --nproc 2` runs it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { npyBytes } from "../../../src/data/npy-write.js";
import { Rng } from "../../../src/data/rng.js";
import { compileModel } from "../../../targets/tfjs/index.js";
import { writePackage } from "../../../targets/pytorch/package.js";
import { captureIo } from "../../support/capture-io.js";
import { tempDir } from "../../support/temp-dir.js";
import { pythonTorch } from "./python-torch.js";

const TOLERANCE = 1e-5;

const MODELS = `
// SGD, not Adam: the bias of a dense layer before batch normalisation has a gradient of zero but for rounding,
// which differs with the summation order of the batch statistics; Adam scales that noise to steps of lr.
model bn_ae {
  input: [6, 6, 1] in [0, 1]
  encoder { flatten dense(12) relu batchnorm dense(8) tanh }
  bottleneck: deterministic(3)
  decoder { dense(12) relu batchnorm dense(36) sigmoid reshape([6, 6, 1]) }
  loss { reconstruction(bernoulli) }
  train { data: "cells.npy" optimizer: sgd(lr: 0.05, momentum: 0.9) batch: 15 epochs: 2 validation: 0.2 seed: 2 }
}

model noisy_vae {
  input: [6, 6, 1] in [0, 1]
  corrupt: gaussian(sigma: 0.1)
  encoder { flatten dense(16) relu dropout(0.2) }
  bottleneck: gaussian(3)
  decoder { dense(16) relu dense(36) sigmoid reshape([6, 6, 1]) }
  loss { reconstruction(bernoulli) kl(free_bits: 0.2, warmup: 1) }
  train { data: "cells.npy" optimizer: adam(lr: 3e-3) batch: 15 epochs: 2 validation: 0.2 seed: 3 }
}

model ema_vq {
  input: [6, 6, 1] in [0, 1]
  encoder { conv(4, kernel: 2, stride: 2) relu }
  bottleneck: vq(codes: 8, dim: 2, ema: 0.9, restart: true)
  decoder { deconv(1, kernel: 2, stride: 2) sigmoid }
  loss { reconstruction(mse) commitment(beta: 0.25) }
  train { data: "cells.npy" optimizer: adam(lr: 3e-3) batch: 15 epochs: 2 validation: 0.2 seed: 4 }
}
`;

function specDir(): string {
  const dir = tempDir("aespec-ddp-");
  const rng = new Rng(9, "cells");
  writeFileSync(
    join(dir, "cells.npy"),
    npyBytes(
      Float32Array.from({ length: 100 * 36 }, () => rng.next()),
      [100, 6, 6, 1],
    ),
  );
  writeFileSync(join(dir, "models.aespec"), MODELS);
  return dir;
}

async function packageOf(dir: string, model: string): Promise<string> {
  const file = join(dir, "models.aespec");
  const c = compileModel(MODELS, { file, model });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  const pkg = await writePackage(c.model, { dir: join(dir, `package-${model}`), specText: MODELS, inputs: [] });
  if (!pkg.ok) throw new Error(pkg.diagnostic.message);
  return pkg.value.dir;
}

function run(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(pythonTorch()!.python, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  return { child, done: new Promise((resolve) => child.on("close", (code) => resolve({ code, out }))) };
}

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await run(args, cwd).done;
  expect(r.code, r.out).toBe(0);
  return r.out;
}

type Line = { train: { total: number; terms: Record<string, number> }; validation: { total: number; terms: Record<string, number> } | null };
const metrics = (runDir: string): Line[] =>
  readFileSync(join(runDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);

/** Every logged loss of every epoch (train and validation: total and each term). */
function losses(runDir: string): number[] {
  return metrics(runDir).flatMap((m) => [
    m.train.total,
    ...Object.values(m.train.terms),
    ...(m.validation === null ? [] : [m.validation.total, ...Object.values(m.validation.terms)]),
  ]);
}

function worstRelative(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => (x === b[i] ? 0 : Math.abs(x - b[i]!) / Math.max(Math.abs(x), Math.abs(b[i]!)))));
}

/** torchrun, as the package runs it (aespec_torch/launch.py: torch.distributed.run, mended for torch 1.13 on Python 3.11). */
const torchrun = (nproc: number, extra: string[] = []) => ["-m", "aespec_torch.launch", ...extra, `--nproc_per_node=${nproc}`];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(pythonTorch() === null)("the PyTorch target under torchrun (gloo, CPU)", () => {
  const dir = specDir();

  for (const model of ["bn_ae", "noisy_vae", "ema_vq"]) {
    it(`${model}: 2 processes give the losses of 1 with the same global batch (within ${TOLERANCE} relative)`, async () => {
      const pkg = await packageOf(dir, model);
      const one = join(dir, `${model}-1`);
      const two = join(dir, `${model}-2`);
      await ok(["train.py", "--out", one, "--device", "cpu", "--threads", "1"], pkg);
      await ok([...torchrun(2, ["--standalone"]), "train.py", "--out", two, "--device", "cpu"], pkg);
      const worst = worstRelative(losses(one), losses(two));
      console.log(`ddp ${model}: 2 processes vs 1, worst relative difference of the epochs' losses ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
      expect(metrics(two).length).toBe(2);
    }, 120_000);
  }

  it("two nodes on loopback (two torchrun launches, --nnodes 2) train one epoch and resume to the second: the 1-process numbers", async () => {
    const pkg = await packageOf(dir, "noisy_vae");
    const single = join(dir, "two-nodes-reference");
    await ok(["train.py", "--out", single, "--device", "cpu", "--threads", "1"], pkg);
    const out = join(dir, "two-nodes");
    const launch = async (port: number, rest: string[]) => {
      const node = (rank: number) =>
        run(
          [
            ...torchrun(1, ["--nnodes=2", `--node_rank=${rank}`, "--master_addr=127.0.0.1", `--master_port=${port}`]),
            "train.py",
            "--out",
            out,
            "--device",
            "cpu",
            ...rest,
          ],
          pkg,
        );
      const [a, b] = [node(0), node(1)];
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect(ra.code, ra.out).toBe(0);
      expect(rb.code, rb.out).toBe(0);
    };
    await launch(await freePort(), ["--epochs", "1"]);
    expect(metrics(out).length).toBe(1);
    await launch(await freePort(), ["--resume"]);
    expect(metrics(out).length).toBe(2);
    expect(worstRelative(losses(single), losses(out))).toBeLessThanOrEqual(TOLERANCE);
  }, 180_000);

  it("`aespec train --target pytorch --nproc 2` trains with two processes, rank 0 reporting; --nproc 0 is a usage error", async () => {
    const file = join(dir, "models.aespec");
    const runDir = join(dir, "cli-run");
    const { io, out, err } = captureIo();
    expect(await main(["train", file, "--model", "ema_vq", "--target", "pytorch", "--device", "cpu", "--nproc", "2", "--out", runDir], io)).toBe(0);
    // Its 8 codes collapse to one within the first epoch: the tfjs target's warning, raised once; no error.
    expect(err.join("").match(/(warning|error) AE\d+/g)).toEqual(["warning AE3108"]);
    expect(out.join("")).toMatch(/^backend PyTorch .*\(cpu, 2 processes\)$/m);
    expect(out.join("").match(/^epoch \d\/2 /gm)).toEqual(["epoch 1/2 ", "epoch 2/2 "]);
    expect(metrics(runDir).length).toBe(2);
    const bad = captureIo();
    expect(await main(["train", file, "--model", "ema_vq", "--target", "pytorch", "--nproc", "0"], bad.io)).toBe(2);
    expect(bad.err.join("")).toMatch(/--nproc 0: must be a whole number of processes, 1 or more/);
  }, 120_000);
});
