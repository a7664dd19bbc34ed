/**
 * Cross-target parity: the first steps of the tfjs target (cpu backend) and of
 * the generated PyTorch package (CPU) from the same initial weights, on the same
 * data in the same order, with the same noise. tfjs draws its noise from aespec's
 * Rng on the CPU; a recording Rng keeps every draw (normals, uniforms, integers,
 * each its own stream), and the package's test mode (--replay) feeds them back
 * in the order the PyTorch model asks for them. The data order needs no file:
 * the package draws each epoch's permutation from aespec's "shuffle" stream, as
 * the tfjs epoch loop does.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { permutation, Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { writeCheckpoint } from "../../../src/run/checkpoint.js";
import { learningRateAt } from "../../../src/run/lr-schedule.js";
import { resumeKey } from "../../../src/run/resume-key.js";
import { RunDir } from "../../../src/run/run-dir.js";
import { createModel } from "../../../targets/tfjs/model/build.js";
import { batchPlan, batchTensor } from "../../../targets/tfjs/train/batches.js";
import { saveVariables } from "../../../targets/tfjs/train/checkpoint.js";
import { disposeOptimizer, makeOptimizer, setLearningRate } from "../../../targets/tfjs/train/optimizers.js";
import { trainStep } from "../../../targets/tfjs/train/step.js";
import { trainingData, writePackage } from "../../../targets/pytorch/package.js";
import { findPythonTorch } from "../../../targets/pytorch/python.js";
import { tempDir } from "../../support/temp-dir.js";

/** aespec's Rng, keeping every value it hands out, by kind. */
export class RecordingRng extends Rng {
  readonly normals: number[] = [];
  readonly uniforms: number[] = [];
  readonly ints: number[] = [];
  private inNormal = false;

  override next(): number {
    const v = super.next();
    if (!this.inNormal) this.uniforms.push(v);
    return v;
  }

  override normal(): number {
    this.inNormal = true;
    try {
      const v = super.normal();
      this.normals.push(v);
      return v;
    } finally {
      this.inNormal = false;
    }
  }

  override int(n: number): number {
    const v = super.int(n);
    this.ints.push(v);
    return v;
  }
}

/** [total, objective, ...terms] of each step. */
export type StepLosses = number[][];

export interface Parity {
  readonly tfjs: StepLosses;
  readonly pytorch: StepLosses;
  /** The largest |a - b| / max(|a|, |b|) over every value of every step, and where. */
  readonly worst: { readonly relative: number; readonly step: number; readonly index: number };
}

export async function tfjsSteps(ir: IrModel, steps: number, initFolder: string, record: RecordingRng): Promise<StepLosses> {
  const data = await trainingData(ir);
  if (!data.ok) throw new Error(data.diagnostic.message);
  const ds = data.value.train;
  const model = createModel(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  try {
    const weights = await saveVariables(model);
    const run = RunDir.open(initFolder);
    if (!run.ok) throw new Error(run.diagnostic.message);
    writeCheckpoint(run.value, {
      model: ir.name,
      irHash: ir.hash,
      resumeKey: resumeKey(ir),
      state: {
        epoch: 0,
        step: 0,
        rng: { train: new Rng(0).state(), shuffle: new Rng(0).state() },
        earlyStop: { best: null, bestEpoch: 0, badEpochs: 0 },
        collapsed: { posterior: false, codebook: false },
      },
      weights,
      optimizer: { kind: ir.train.optimizer.kind, iterations: 0, slots: [], extras: {} },
    });
    const shuffle = new Rng(ir.train.seed, "shuffle");
    const plan = batchPlan(ds.count, ir.train.batch);
    const clock = { stepsPerEpoch: plan.steps, epochs: ir.train.epochs };
    const out: StepLosses = [];
    for (let epoch = 0; out.length < steps; epoch++) {
      const order = permutation(ds.count, shuffle);
      let seen = 0;
      for (let i = 0; i < plan.steps && out.length < steps; i++) {
        const size = plan.size(i);
        const x = batchTensor(ds, order, seen, seen + size);
        setLearningRate(optimizer, learningRateAt(ir.train.schedule, ir.train.optimizer.lr, epoch * plan.steps + i, clock));
        const r = await trainStep({ model, ir, optimizer, x, rng: record, progress: epoch + i / plan.steps, stats: null }).finally(() => x.dispose());
        out.push([r.losses.total, r.losses.objective, ...r.losses.terms]);
        if (!r.ok) return out;
        seen += size;
      }
    }
    return out;
  } finally {
    disposeOptimizer(optimizer);
    model.dispose();
  }
}

function writeStreams(folder: string, r: RecordingRng): void {
  writeFileSync(join(folder, "normals.bin"), new Uint8Array(Float32Array.from(r.normals).buffer));
  writeFileSync(join(folder, "uniforms.bin"), new Uint8Array(Float64Array.from(r.uniforms).buffer));
  writeFileSync(join(folder, "ints.bin"), new Uint8Array(Uint32Array.from(r.ints).buffer));
}

/** Both targets' first `steps` step losses for `ir`, and how far apart they are. */
export async function parity(ir: IrModel, steps = 50): Promise<Parity> {
  const dir = tempDir("aespec-parity-");
  const pkg = await writePackage(ir, { dir: join(dir, "package"), specText: "", inputs: [] });
  if (!pkg.ok) throw new Error(pkg.diagnostic.message);
  const record = new RecordingRng(ir.train.seed, "train");
  const tfjs = await tfjsSteps(ir, steps, join(dir, "init"), record);
  writeStreams(dir, record);
  const python = findPythonTorch();
  if ("code" in python) throw new Error(python.message);
  const losses = join(dir, "losses.json");
  const args = [
    "train.py",
    "--replay",
    dir,
    "--init-weights",
    join(dir, "init", "checkpoint"),
    "--steps",
    String(tfjs.length),
    "--step-losses",
    losses,
    "--device",
    "cpu",
  ];
  const r = spawnSync(python.python, args, { cwd: join(dir, "package"), encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (r.status !== 0) throw new Error(`the package's replay failed (${r.status}): ${r.stderr}`);
  const pytorch = (JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(losses, "utf8"))) as { steps: StepLosses }).steps;
  let worst = { relative: 0, step: -1, index: -1 };
  tfjs.forEach((row, s) =>
    row.forEach((a, i) => {
      const b = pytorch[s]?.[i] ?? Number.NaN;
      const rel = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
      if (!(rel <= worst.relative)) worst = { relative: Number.isNaN(rel) ? Infinity : rel, step: s, index: i };
    }),
  );
  return { tfjs, pytorch, worst };
}
