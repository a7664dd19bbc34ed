/**
 * Training-step figures for `npm run bench`: milliseconds per optimizer step
 * of the models in bench/models/ on every tfjs backend that loads (wasm as
 * stock tfjs, transposing by flags, and with the explicit-transpose backward
 * pass; wasm+blas, OpenBLAS's GEMM and the native Adam update, and each of its
 * choices undone in turn), measured with the trainer's own
 * trainStep, buildModel and optimizer, beside the same architectures in
 * PyTorch (bench/torch_steps.py) when python3-torch is installed, then a
 * per-kernel profile of one AE step on the fastest wasm path. Then seconds
 * per MNIST epoch of the VAE 784-400-40 at batch 100 on each wasm path and in
 * PyTorch, each in a child process of its own, with that process's peak
 * resident memory. The batches are MNIST, written once to a temporary file so
 * both sides train on the same values. Prints; asserts nothing.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs-core";
import { elementsPerExample, type Dataset } from "../src/data/dataset.js";
import { loadData } from "../src/data/load.js";
import { permutation, Rng } from "../src/data/rng.js";
import type { IrModel } from "../src/ir/model.js";
import { buildModel, compileModel, selectBackend, type BackendName } from "../targets/tfjs/index.js";
import { allowNativeAdam } from "../targets/tfjs/native/adam.js";
import { loadBlasAddon, DEFAULT_BLAS_THREADS } from "../targets/tfjs/native/addon.js";
import { setMatMulTransposes, type MatMulTransposes } from "../targets/tfjs/ops/matmul.js";
import { batchTensor } from "../targets/tfjs/train/batches.js";
import { disposeOptimizer, makeOptimizer } from "../targets/tfjs/train/optimizers.js";
import { trainStep } from "../targets/tfjs/train/step.js";
import { writePackage } from "../targets/pytorch/package.js";

const MODELS = ["ae", "vae", "vqvae", "convvae"] as const;
type ModelName = (typeof MODELS)[number];

/** Steps run before timing starts: kernels compiled, optimizer slots created, caches warm. */
const WARMUP_STEPS = 3;
/** At least this many timed steps (odd, so the median is one of them), and at least MIN_SECONDS of them. */
const MIN_STEPS = 21;
const MIN_SECONDS = 2;
/** Distinct batches cycled through (MNIST's first examples). */
const BATCHES = 16;

/** One row of figures: a backend, and what is changed from its defaults. */
interface Variant {
  readonly label: string;
  readonly backend: BackendName;
  /** How matMul's backward pass transposes, when not the backend's own choice. */
  readonly transposes?: MatMulTransposes;
  /** OpenBLAS threads, when not the default (wasm+blas only). */
  readonly blasThreads?: number;
  /** false: tfjs's own Adam instead of the native update (wasm+blas only). */
  readonly nativeAdam?: boolean;
  readonly models: readonly ModelName[];
  /** Fewer timed steps for paths that take a second a step (the median of MIN_STEPS would add minutes). */
  readonly minSteps?: number;
}

/**
 * The plain JavaScript backend takes seconds per step; the VAE and the
 * convolutional VQ-VAE would add minutes, so it runs the dense AE only.
 * Stock wasm (tfjs-core's transpose flags) runs the dense models eight to ten
 * times slower than with explicit transposes: a few steps say that well enough.
 */
const VARIANTS: readonly Variant[] = [
  { label: "tensorflow-gpu", backend: "tensorflow-gpu", models: MODELS },
  { label: "tensorflow", backend: "tensorflow", models: MODELS },
  { label: "wasm, stock (transpose flags)", backend: "wasm", transposes: "flags", models: MODELS, minSteps: 5 },
  { label: "wasm, explicit transposes", backend: "wasm", models: MODELS },
  { label: "wasm+blas, explicit transposes", backend: "wasm+blas", transposes: "explicit", models: MODELS },
  { label: "wasm+blas, tfjs's Adam", backend: "wasm+blas", nativeAdam: false, models: MODELS },
  { label: "wasm+blas, 1 OpenBLAS thread", backend: "wasm+blas", blasThreads: 1, models: MODELS },
  { label: "wasm+blas", backend: "wasm+blas", models: MODELS },
  { label: "cpu", backend: "cpu", models: ["ae"] },
];
/** The rows every model is compared with PyTorch on, in the summary. */
const SUMMARY: readonly string[] = ["wasm, stock (transpose flags)", "wasm, explicit transposes", "wasm+blas, tfjs's Adam", "wasm+blas"];

type Figures = Map<string, Map<ModelName, Timing>>;

interface Timing {
  readonly ms: number;
  readonly steps: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmtMs = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
const fmtRate = (batch: number, ms: number) => `${Math.round((batch / ms) * 1000).toLocaleString("en-US")} ex/s`.padStart(12);

function compileBenchModel(root: string, name: string): IrModel {
  const file = join(root, "bench", "models", `${name}.aespec`);
  const c = compileModel(readFileSync(file, "utf8"), { file });
  if (!c.ok) throw new Error(`${file} does not compile: ${c.diagnostics.map((d) => d.message).join("; ")}`);
  return c.model;
}

/** The first BATCHES * batch MNIST training images, row-major float32 [n, 28, 28, 1]. */
async function mnistBatches(ir: IrModel): Promise<Float32Array> {
  const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!loaded.ok) throw new Error(`MNIST did not load: ${loaded.diagnostic.message}`);
  return loaded.value.train.x.slice(0, BATCHES * ir.train.batch * elementsPerExample(ir.input.shape));
}

/** Times trainStep on the current backend; every tensor made here is disposed before returning. */
async function timeSteps(ir: IrModel, data: Float32Array, minSteps = MIN_STEPS): Promise<Timing> {
  const before = tf.memory().numTensors;
  const shape = [ir.train.batch, ...ir.input.shape];
  const per = ir.train.batch * elementsPerExample(ir.input.shape);
  const xs = Array.from({ length: BATCHES }, (_, i) => tf.tensor(data.subarray(i * per, (i + 1) * per), shape, "float32"));
  const model = buildModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  const rng = new Rng(ir.train.seed, "train");
  let i = 0;
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const out = await trainStep({ model, ir, optimizer, x: xs[i % BATCHES]!, rng, progress: 0, stats: null });
    const dt = performance.now() - t0;
    if (!out.ok) throw new Error(`${ir.name}: the ${out.culprit} loss is not finite at step ${i}`);
    i++;
    return dt;
  };
  const times: number[] = [];
  try {
    for (let w = 0; w < WARMUP_STEPS; w++) await step();
    const started = performance.now();
    while (times.length < minSteps || performance.now() - started < MIN_SECONDS * 1000) times.push(await step());
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    tf.dispose(xs);
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.log(`    (${ir.name}: ${leaked} tensors left behind)`);
  return { ms: median(times), steps: times.length };
}

async function tfjsFigures(irs: Record<ModelName, IrModel>, data: Float32Array): Promise<Figures> {
  const figures: Figures = new Map();
  const { batch, optimizer } = irs.ae.train;
  console.log(
    `\ntraining step of bench/models/, batch ${batch}, ${optimizer.kind} lr ${optimizer.lr}, MNIST batches; trainStep alone, median of >= ${MIN_STEPS} steps after ${WARMUP_STEPS} warm-up:`,
  );
  const unavailable = new Set<BackendName>();
  for (const v of VARIANTS) {
    if (unavailable.has(v.backend)) continue;
    const sel = await selectBackend(v.backend);
    if (sel.error !== null) {
      console.log(`  ${v.backend}: skipped, ${sel.detail}`);
      unavailable.add(v.backend);
      continue;
    }
    if (v.transposes !== undefined) setMatMulTransposes(v.transposes);
    const native = loadBlasAddon();
    if (v.blasThreads !== undefined && native.ok) native.addon.setThreads(v.blasThreads);
    allowNativeAdam(v.nativeAdam ?? true);
    console.log(
      `  ${v.label}: ${sel.detail}${v.blasThreads === undefined ? "" : `, then set to ${v.blasThreads} OpenBLAS thread${v.blasThreads === 1 ? "" : "s"}`}`,
    );
    const row = new Map<ModelName, Timing>();
    try {
      for (const m of v.models) {
        const t = await timeSteps(irs[m], data, v.minSteps);
        row.set(m, t);
        console.log(`    ${m.padEnd(7)} ${fmtMs(t.ms)}/step ${fmtRate(irs[m].train.batch, t.ms)}  (${t.steps} steps)`);
      }
    } finally {
      if (v.blasThreads !== undefined && native.ok) native.addon.setThreads(DEFAULT_BLAS_THREADS);
      allowNativeAdam(true);
    }
    figures.set(v.label, row);
    const left = MODELS.filter((m) => !v.models.includes(m));
    const slowest = Math.max(...[...row.values()].map((t) => t.ms));
    if (left.length > 0)
      console.log(`    ${left.join(", ")}: not run on ${v.label}, too slow (${(slowest / 1000).toFixed(1)} s a step above; they would add minutes)`);
  }
  return figures;
}

/** ms/step of each model on the main wasm paths and PyTorch, and each path's ratio to PyTorch. */
function printSummary(batch: number, figures: Figures, torchFigures: TorchFigures): void {
  const torch = torchFigures.peer;
  const rows = SUMMARY.filter((label) => figures.has(label));
  if (rows.length === 0) return;
  const width = Math.max(...rows.map((r) => r.length), GENERATED_ROW.length);
  console.log(`\nsummary, ms/step and examples/s (batch ${batch}); x = ratio to PyTorch's ms/step (lower is better):`);
  console.log(`  ${"".padEnd(width)}  ${MODELS.map((m) => m.padStart(30)).join("")}`);
  const cell = (t: Timing | undefined, ref: Timing | undefined) => {
    if (t === undefined) return "-".padStart(30);
    const ratio = ref === undefined ? "" : ` ${(t.ms / ref.ms).toFixed(2)}x`;
    return `${t.ms.toFixed(1)} ms ${Math.round((batch / t.ms) * 1000)} ex/s${ratio}`.padStart(30);
  };
  for (const r of rows) console.log(`  ${r.padEnd(width)}  ${MODELS.map((m) => cell(figures.get(r)!.get(m), torch.get(m))).join("")}`);
  if (torchFigures.generated.size > 0)
    console.log(`  ${GENERATED_ROW.padEnd(width)}  ${MODELS.map((m) => cell(torchFigures.generated.get(m), torch.get(m))).join("")}`);
  if (torch.size > 0) console.log(`  ${"PyTorch".padEnd(width)}  ${MODELS.map((m) => cell(torch.get(m), undefined)).join("")}`);
}

const GENERATED_ROW = "aespec --target pytorch";

/**
 * Where one AE step's time goes on wasm+blas, by kernel (tf.profile; the
 * custom-gradient wrappers, which tfjs lists as `forward`, are left out:
 * their time is that of the kernels inside them, already counted).
 */
async function profileAeStep(ir: IrModel, data: Float32Array): Promise<void> {
  const sel = await selectBackend("wasm+blas");
  if (sel.error !== null) return;
  const per = ir.train.batch * elementsPerExample(ir.input.shape);
  const x = tf.tensor(data.subarray(0, per), [ir.train.batch, ...ir.input.shape], "float32");
  const model = buildModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  const rng = new Rng(ir.train.seed, "train");
  try {
    const step = () => trainStep({ model, ir, optimizer, x, rng, progress: 0, stats: null });
    for (let w = 0; w < WARMUP_STEPS; w++) await step();
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      await step();
    });
    const wall = performance.now() - t0;
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const k of info.kernels) {
      if (k.name === "forward") continue;
      const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += Number(await k.kernelTimeMs);
      byName.set(k.name, e);
    }
    const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((a, [, e]) => a + e.ms, 0);
    const calls = rows.reduce((a, [, e]) => a + e.calls, 0);
    const gemm = byName.get("BatchMatMul")?.ms ?? 0;
    console.log(
      `\nprofile of one ae step on wasm+blas (tf.profile, ${wall.toFixed(1)} ms with profiling; the native Adam update is no kernel, its time is outside the kernels'): ${calls} kernels, ${total.toFixed(1)} ms in kernels, of which BatchMatMul ${gemm.toFixed(1)} ms; the rest by kernel:`,
    );
    for (const [name, e] of rows.filter(([n]) => n !== "BatchMatMul").slice(0, 12))
      console.log(`    ${name.padEnd(16)} ${String(e.calls).padStart(4)} calls ${e.ms.toFixed(2).padStart(7)} ms`);
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    x.dispose();
  }
}

const PYTHON = "/usr/bin/python3";
const INSTALL_TORCH = "apt-get install -y python3-torch libopenblas0-pthread";
/** Keeps `npm run bench` within minutes when the machine is busy (PyTorch's two threads suffer most). */
const TORCH_TIMEOUT_MS = 120_000;

interface TorchLine {
  readonly model?: ModelName;
  /** A figure of the aespec PyTorch target's generated package, not of the hand-written peer. */
  readonly generated?: boolean;
  readonly ms?: number;
  readonly steps?: number;
  readonly info?: string;
}

function torchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1" };
  // OpenBLAS does not recognise some AVX-512 CPUs (this EPYC among them) and falls back to kernels 4 to 5 times slower.
  let cpuinfo = "";
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    // Not Linux: leave OpenBLAS to its own detection.
  }
  if (/\bavx512f\b/.test(cpuinfo)) env["OPENBLAS_CORETYPE"] = "SkylakeX";
  return env;
}

/** The PyTorch target's package of each model (`aespec compile --emit pytorch`, without data: the bench gives the batches), as torch_steps.py's --package arguments. */
async function generatedPackages(irs: Readonly<Record<string, IrModel>>, dir: string): Promise<string[]> {
  const args: string[] = [];
  for (const [name, ir] of Object.entries(irs)) {
    const pkg = await writePackage(ir, { dir: join(dir, `package-${name}`), specText: "", inputs: [], withoutData: true });
    if (!pkg.ok) throw new Error(`the PyTorch package of ${name}: ${pkg.diagnostic.message}`);
    args.push("--package", `${name}=${pkg.value.dir}`);
  }
  return args;
}

interface TorchFigures {
  /** The hand-written peer (bench/torch_steps.py's own modules). */
  readonly peer: Map<ModelName, Timing>;
  /** The aespec PyTorch target's generated trainer, in the same process, threads and batches. */
  readonly generated: Map<ModelName, Timing>;
}

async function torchFigures(root: string, irs: Readonly<Record<ModelName, IrModel>>, data: Float32Array): Promise<TorchFigures> {
  const batch = irs.ae.train.batch;
  const figures = new Map<ModelName, Timing>();
  const generated = new Map<ModelName, Timing>();
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" });
  if (probe.status !== 0) {
    console.log(`\npeer: PyTorch skipped (${PYTHON} cannot import torch); install it with: ${INSTALL_TORCH}`);
    return { peer: figures, generated };
  }
  const dir = mkdtempSync(join(tmpdir(), "aespec-bench-"));
  try {
    const dataFile = join(dir, "mnist.f32");
    writeFileSync(dataFile, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const env = torchEnv();
    const args = [
      join(root, "bench", "torch_steps.py"),
      "--data",
      dataFile,
      "--batch",
      String(batch),
      "--batches",
      String(BATCHES),
      "--warmup",
      String(WARMUP_STEPS),
      "--min-steps",
      String(MIN_STEPS),
      "--min-seconds",
      String(MIN_SECONDS),
      ...(await generatedPackages(irs, dir)),
    ];
    // Twice the peer's models: the hand-written ones and the generated packages.
    const r = spawnSync(PYTHON, args, { env, encoding: "utf8", timeout: 2 * TORCH_TIMEOUT_MS });
    // Each model's line is flushed as it finishes: a timeout still leaves the figures measured before it.
    const lines = (r.stdout ?? "")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as TorchLine);
    const blasEnv = `OPENBLAS_NUM_THREADS=1${env["OPENBLAS_CORETYPE"] !== undefined ? ` OPENBLAS_CORETYPE=${env["OPENBLAS_CORETYPE"]}` : ""}`;
    const info = lines.filter((l) => l.info !== undefined).map((l) => l.info);
    console.log(
      `\npeer: PyTorch, same architectures, losses and batches (${[blasEnv, ...info].join("; ")}); beside it the PyTorch target's generated trainer (its step as its epoch loop takes it on the CPU, x = ratio to the hand-written peer):`,
    );
    for (const l of lines) {
      if (l.model === undefined || l.ms === undefined) continue;
      (l.generated === true ? generated : figures).set(l.model, { ms: l.ms, steps: l.steps ?? 0 });
      const ratio = l.generated === true && figures.has(l.model) ? `  ${(l.ms / figures.get(l.model)!.ms).toFixed(2)}x` : "";
      console.log(
        `    ${(l.generated === true ? "generated" : "hand-written").padEnd(12)} ${l.model.padEnd(7)} ${fmtMs(l.ms)}/step ${fmtRate(batch, l.ms)}  (${l.steps} steps)${ratio}`,
      );
    }
    if (r.status !== 0) {
      const missing = MODELS.filter((m) => !lines.some((l) => l.model === m && l.generated === true));
      const stderr = (r.stderr ?? "").trim().split("\n").slice(-3).join(" / ");
      console.log(
        `    PyTorch ${howItEnded(r, 2 * TORCH_TIMEOUT_MS)}${missing.length > 0 ? `; no figure for ${missing.join(", ")}` : ""}${stderr !== "" ? `: ${stderr}` : ""}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { peer: figures, generated };
}

function howItEnded(r: SpawnSyncReturns<string>, timeoutMs = TORCH_TIMEOUT_MS): string {
  if (r.error === undefined) return `exited ${r.status ?? r.signal}`;
  return (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `stopped after ${timeoutMs / 1000} s` : r.error.message;
}

/** CPU time in clock ticks: the whole machine's busy time, and this process's with its waited-for children (Linux only). */
function cpuTicks(): { machine: number; own: number } | null {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3]! + cpu[4]!;
    const machine = cpu.slice(0, 8).reduce((a, v) => a + v, 0) - idle;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const self = readFileSync("/proc/self/stat", "utf8");
    const f = self
      .slice(self.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const own = f[11]! + f[12]! + f[13]! + f[14]!; // utime, stime, cutime, cstime
    return { machine, own };
  } catch {
    return null;
  }
}

/**
 * Other processes' share of the CPUs while this part ran: on a 2-CPU machine
 * one busy neighbour slows the wasm figures a little and PyTorch's
 * two-thread steps many times over, so the reader should know.
 */
function reportNeighbours(before: ReturnType<typeof cpuTicks>, seconds: number): void {
  const after = cpuTicks();
  if (before === null || after === null) return;
  const ticksPerSecond = 100; // USER_HZ, the unit of both files on Linux
  const others = (after.machine - before.machine - (after.own - before.own)) / ticksPerSecond / seconds;
  const note = others > 0.1 ? ": these figures are slowed, run again on an idle machine" : "";
  console.log(`\nother processes used ${(others * 100).toFixed(0)}% of one CPU (of ${cpus().length}) during the training-step and epoch figures${note}`);
}

/** The epoch figure: issue 7's VAE 784-400-40 on MNIST at batch 100 (PyTorch's example took 2.7 to 2.9 s an epoch here). */
const EPOCH_MODEL = "vae400";
const EPOCH_PATHS: readonly BackendName[] = ["wasm", "wasm+blas"];
const EPOCH_WARMUP = 3;
/** The argument that makes this module, run as a script, one epoch child. */
const EPOCH_CHILD = "--epoch-child";

interface EpochLine {
  readonly epoch?: string;
  readonly seconds?: number;
  readonly steps?: number;
  readonly examples?: number;
  readonly peakKb?: number | null;
  readonly error?: string;
  readonly info?: string;
}

/** This process's resident-set high-water mark in KiB: VmHWM on Linux, else Node's maxRSS (also KiB). */
function peakRssKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m !== null) return Number(m[1]);
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS;
}

/**
 * One child: the trainer's own steps over one shuffled epoch of the raw
 * float32 file (every batch gathered and made a tensor as the epoch loop
 * does), after a few warm-up steps; prints one JSON line.
 */
async function epochChild(root: string, backend: BackendName, dataFile: string): Promise<void> {
  const sel = await selectBackend(backend);
  if (sel.error !== null) {
    console.log(JSON.stringify({ error: sel.error }));
    return;
  }
  const ir = compileBenchModel(root, EPOCH_MODEL);
  const raw = readFileSync(dataFile);
  const x = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const count = x.length / elementsPerExample(ir.input.shape);
  const ds: Dataset = { x, shape: ir.input.shape, count, labels: null, factors: null, range: [0, 1] };
  const batch = ir.train.batch;
  const model = buildModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  const rng = new Rng(ir.train.seed, "train");
  const step = async (xb: tf.Tensor) => {
    const out = await trainStep({ model, ir, optimizer, x: xb, rng, progress: 0, stats: null }).finally(() => xb.dispose());
    if (!out.ok) throw new Error(`${EPOCH_MODEL}: the ${out.culprit} loss is not finite`);
  };
  for (let i = 0; i < EPOCH_WARMUP; i++) await step(batchTensor(ds, null, i * batch, (i + 1) * batch));
  const order = permutation(count, new Rng(ir.train.seed, "shuffle"));
  const started = performance.now();
  let steps = 0;
  for (let start = 0; start < count; start += batch, steps++) await step(batchTensor(ds, order, start, Math.min(start + batch, count)));
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ epoch: EPOCH_MODEL, seconds, steps, examples: count, peakKb: peakRssKb(), info: sel.detail }));
}

/** The last JSON line of a child's output, or why there is none. */
function childLine(r: SpawnSyncReturns<string>): EpochLine {
  const lines = (r.stdout ?? "")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as EpochLine);
  const last = lines.filter((l) => l.epoch !== undefined || l.error !== undefined).at(-1);
  if (last !== undefined) return last;
  const stderr = (r.stderr ?? "").trim().split("\n").slice(-2).join(" / ");
  return { error: `${howItEnded(r)}${stderr !== "" ? `: ${stderr}` : ""}` };
}

const fmtEpoch = (l: EpochLine) =>
  l.seconds === undefined
    ? `not measured (${l.error ?? "no figure"})`
    : `${l.seconds.toFixed(2).padStart(6)} s/epoch (${l.steps} steps, ${l.examples} examples), peak RSS ${l.peakKb == null ? "?" : `${Math.round(l.peakKb / 1024)} MiB`}`;

/** Seconds per epoch and peak memory of each path, each configuration in a child process of its own. */
async function epochBench(root: string): Promise<void> {
  const ir = compileBenchModel(root, EPOCH_MODEL);
  const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!loaded.ok) throw new Error(`MNIST did not load: ${loaded.diagnostic.message}`);
  const dir = mkdtempSync(join(tmpdir(), "aespec-epoch-"));
  try {
    const dataFile = join(dir, "mnist-train.f32");
    const x = loaded.value.train.x;
    writeFileSync(dataFile, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    console.log(
      `\none epoch of ${EPOCH_MODEL} (784-400-40, gaussian, Bernoulli + kl), batch ${ir.train.batch}, MNIST's training set; each path in a child process (peak RSS: its VmHWM, the data set held as float32 included):`,
    );
    const script = fileURLToPath(import.meta.url);
    // The same OpenBLAS kernels as the step rows (trainStepBench set OPENBLAS_CORETYPE for this process).
    for (const backend of EPOCH_PATHS) {
      const r = spawnSync(process.execPath, [script, EPOCH_CHILD, backend, dataFile], {
        cwd: root,
        encoding: "utf8",
        timeout: TORCH_TIMEOUT_MS,
        env: process.env,
      });
      console.log(`    ${backend.padEnd(10)} ${fmtEpoch(childLine(r))}`);
    }
    if (spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status !== 0) {
      console.log(`    PyTorch    skipped (${PYTHON} cannot import torch)`);
      return;
    }
    const args = [
      join(root, "bench", "torch_steps.py"),
      "--data",
      dataFile,
      "--batch",
      String(ir.train.batch),
      "--batches",
      "1",
      "--warmup",
      String(EPOCH_WARMUP),
      "--epoch",
      EPOCH_MODEL,
    ];
    const r = spawnSync(PYTHON, args, { env: torchEnv(), encoding: "utf8", timeout: TORCH_TIMEOUT_MS });
    const peer = childLine(r);
    console.log(`    ${"PyTorch".padEnd(10)} ${fmtEpoch(peer)}`);
    // The PyTorch target's own epoch loop (Trainer.epoch) on its generated package, in a process of its own.
    const packageArgs = await generatedPackages({ [EPOCH_MODEL]: ir }, dir);
    const g = childLine(spawnSync(PYTHON, [...args, ...packageArgs], { env: torchEnv(), encoding: "utf8", timeout: TORCH_TIMEOUT_MS }));
    const ratio = g.seconds !== undefined && peer.seconds !== undefined ? `; ${(g.seconds / peer.seconds).toFixed(2)}x the hand-written peer` : "";
    console.log(`    ${"--target pytorch".padEnd(10)} ${fmtEpoch(g)}${ratio}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints every figure of this part; leaves tfjs on whichever backend it measured last. */
export async function trainStepBench(root: string): Promise<void> {
  const before = cpuTicks();
  const started = performance.now();
  const irs = Object.fromEntries(MODELS.map((m) => [m, compileBenchModel(root, m)])) as Record<ModelName, IrModel>;
  const data = await mnistBatches(irs.ae);
  // The same OpenBLAS kernels for this process's addon as for PyTorch's (torchEnv), whatever the environment says.
  const coretype = torchEnv()["OPENBLAS_CORETYPE"];
  if (coretype !== undefined) process.env["OPENBLAS_CORETYPE"] = coretype;
  const tfjs = await tfjsFigures(irs, data);
  const torch = await torchFigures(root, irs, data);
  printSummary(irs.ae.train.batch, tfjs, torch);
  await profileAeStep(irs.ae, data);
  await epochBench(root);
  reportNeighbours(before, (performance.now() - started) / 1000);
}

// Run as a script (`node dist/bench/train-steps.js --epoch-child BACKEND FILE`): one epoch child of epochBench.
if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url && process.argv[2] === EPOCH_CHILD) {
  const [backend, dataFile] = process.argv.slice(3) as [BackendName, string];
  await epochChild(resolve(import.meta.dirname, "../.."), backend, dataFile);
}
