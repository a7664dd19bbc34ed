/**
 * The training loop: data, model, optimizer, epochs, metrics, checkpoints.
 *
 * Randomness comes from named streams of train.seed, each a plain state a
 * checkpoint saves: "validation" (which examples are held out; re-derived on
 * resume), "init" (initial weights; replaced by the checkpoint on resume),
 * "shuffle" (the order of each epoch) and "train" (noise, dropout, sampling,
 * code restarts). Checkpoints are written at epoch ends, so a resumed run
 * starts an epoch exactly where the straight run would.
 */
import type { TrainedBy } from "../../../src/run/metrics.js";
import type { TrainStatus } from "../../../src/target/target.js";
import type { Dataset } from "../../../src/data/dataset.js";
import { loadData } from "../../../src/data/load.js";
import { splitRangeError } from "../../../src/data/range-check.js";
import { Rng } from "../../../src/data/rng.js";
import { splitValidation } from "../../../src/data/split.js";
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";
import type { BuildModel, TfModel } from "../model-api.js";
import { buildModel } from "../model/build.js";
import { adversaryOf } from "./adversary.js";
import { batchPlan } from "./batches.js";
import { saveVariables, restoreVariables } from "./checkpoint.js";
import { writeCheckpoint, type LoopState, type SavedTensor } from "../../../src/run/checkpoint.js";
import { EpochLoop } from "./epoch-loop.js";
import { divergedError, mismatchedCheckpoint } from "../../../src/run/train-errors.js";
import type { EpochMetrics, TrainCallbacks } from "./events.js";
import { disposeOptimizer, makeOptimizer, restoreOptimizer, saveOptimizer } from "./optimizers.js";
import { preflight } from "./preflight.js";
import { resumeKey } from "../../../src/run/resume-key.js";
import { RUN_FILES, RunInUse, runDirError, runInUseError, type RunDir } from "../../../src/run/run-dir.js";
import { openRun, type OpenedRun } from "../../../src/run/open-run.js";
import { NOT_COLLAPSED } from "../../../src/target/collapse-warnings.js";

export interface TrainOptions extends TrainCallbacks {
  /** The run directory; null or absent: train in memory and write nothing. */
  readonly outDir?: string | null;
  /** Continue the run in outDir from its checkpoint. */
  readonly resume?: boolean;
  /** The spec text as trained, written to spec.aespec. */
  readonly specText?: string;
  /** Finishes the current batch, then stops without writing a partial epoch. */
  readonly signal?: AbortSignal;
  /** Builds the model; the default is the tfjs model of targets/tfjs/model. */
  readonly buildModel?: BuildModel;
  /** What trains it, recorded in every epoch's metrics line (the target says; the library may not). */
  readonly trainedBy?: TrainedBy;
}

export type { TrainStatus };

export interface TrainResult {
  readonly status: TrainStatus;
  /** The errors that refused or stopped the run, and the warnings raised while training. */
  readonly diagnostics: readonly Diagnostic[];
  /** The trained model (the caller disposes it); null when refused. */
  readonly model: TfModel | null;
  /** Epochs completed in all, counting those before a resume. */
  readonly epochs: number;
  /** The epoch whose weights the model holds: the best one with early_stop, else the last. */
  readonly resultEpoch: number;
  /** The metrics of the epochs this call trained. */
  readonly history: readonly EpochMetrics[];
  readonly runDir: string | null;
}

const refusal = (opts: TrainOptions, diagnostics: Diagnostic[]): TrainResult => ({
  status: "refused",
  diagnostics,
  model: null,
  epochs: 0,
  resultEpoch: 0,
  history: [],
  runDir: opts.outDir ?? null,
});

/** Trains `ir` on the current tfjs backend (see selectBackend). The run directory is locked while it trains. */
export async function train(ir: IrModel, opts: TrainOptions = {}): Promise<TrainResult> {
  const errors = preflight(ir);
  if (errors.length > 0) return refusal(opts, errors);
  const opened = openRun(ir, opts.outDir ?? null, opts.resume === true);
  if ("code" in opened) return refusal(opts, [opened]);
  try {
    return await trainOpened(ir, opts, opened);
  } finally {
    opened.run?.unlock();
  }
}

async function trainOpened(ir: IrModel, opts: TrainOptions, opened: OpenedRun): Promise<TrainResult> {
  const refused = (diagnostics: Diagnostic[]) => refusal(opts, diagnostics);

  const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!loaded.ok) return refused([loaded.diagnostic]);
  const shapeError = dataShapeError(ir, loaded.value.train) ?? splitRangeError(loaded.value, ir.input, ir.train.data!);
  if (shapeError !== null) return refused([shapeError]);
  const { train: trainSet, validation } = splitData(loaded.value.train, ir);

  const build = opts.buildModel ?? buildModel;
  const model = build(ir, new Rng(ir.train.seed, "init"));
  const optimizer = makeOptimizer(ir.train.optimizer);
  let state: LoopState = freshState(ir);
  if (opened.checkpoint !== null) {
    const c = opened.checkpoint;
    const adversary = adversaryOf(model);
    const mismatch =
      restoreVariables(model, c.weights) ?? (adversary !== null && c.adversary == null ? "it holds no state of the discriminator's optimizer" : null);
    if (mismatch !== null) {
      model.dispose();
      disposeOptimizer(optimizer);
      return refused([mismatchedCheckpoint(opts.outDir!, mismatch)]);
    }
    await restoreOptimizer(optimizer, c.optimizer, model.trainable);
    if (adversary !== null && c.adversary != null) await restoreOptimizer(adversary.optimizer, c.adversary, adversary.trainable);
    state = c.state;
  }
  const run = opened.run;
  const written = run === null ? null : attempt(run, () => writeRunFiles(run, ir, opts.specText));
  if (written !== null) {
    model.dispose();
    disposeOptimizer(optimizer);
    return refused([written]);
  }
  const metricsLines = [...opened.metricsLines];

  const loop = new EpochLoop(ir, model, optimizer, trainSet, validation, opts);
  opts.onStart?.({
    model: ir.name,
    startEpoch: state.epoch,
    epochs: ir.train.epochs,
    stepsPerEpoch: batchPlan(trainSet.count, ir.train.batch).steps,
    trainExamples: trainSet.count,
    validationExamples: validation?.count ?? 0,
    resumed: opened.checkpoint !== null,
    runDir: run?.root ?? null,
  });

  const history: EpochMetrics[] = [];
  const diagnostics: Diagnostic[] = [];
  let status: TrainStatus = "completed";
  const keepsBest = ir.train.earlyStop !== null;
  let best: { epoch: number; weights: readonly SavedTensor[] } | null =
    opened.best === null ? null : { epoch: opened.best.state.epoch, weights: opened.best.weights };
  while (state.epoch < ir.train.epochs) {
    if (stopsEarly(ir, state)) {
      status = "early_stopped";
      break;
    }
    const r = await loop.epoch(state);
    if (r.kind === "aborted") {
      status = "aborted";
      break;
    }
    if (r.kind === "diverged") {
      diagnostics.push(divergedError(ir, r, state.epoch, run?.root ?? null));
      status = "diverged";
      break;
    }
    state = r.state;
    history.push(r.metrics);
    diagnostics.push(...r.warnings);
    for (const w of r.warnings) opts.onWarning?.(w);
    const improved = keepsBest && state.earlyStop.bestEpoch === state.epoch;
    const weights = run !== null || improved ? await saveVariables(model) : null;
    if (improved) best = { epoch: state.epoch, weights: weights! };
    if (run !== null) {
      // Metrics first: a crash before the checkpoint leaves a line that resume drops.
      metricsLines.push(JSON.stringify(r.metrics));
      const checkpoint = {
        model: ir.name,
        irHash: ir.hash,
        resumeKey: resumeKey(ir),
        state,
        weights: weights!,
        optimizer: await saveOptimizer(ir.train.optimizer.kind, optimizer, model.trainable),
        adversary: await saveAdversaryOptimizer(model),
      };
      const failed = attempt(run, () => {
        run.writeAtomic(RUN_FILES.metrics, metricsLines.join("\n") + "\n");
        if (improved) writeCheckpoint(run, checkpoint, RUN_FILES.best);
        writeCheckpoint(run, checkpoint);
      });
      if (failed !== null) {
        diagnostics.push(failed);
        status = "failed";
        break;
      }
    }
    opts.onEpoch?.(r.metrics);
  }
  if (status === "completed" && stopsEarly(ir, state) && state.epoch < ir.train.epochs) status = "early_stopped";
  disposeOptimizer(optimizer);
  // With early stopping the run's result is the best epoch's weights (as Keras' restore_best_weights); the checkpoint keeps the last state for --resume.
  const resultEpoch = best !== null && best.epoch !== state.epoch && restoreVariables(model, best.weights) === null ? best.epoch : state.epoch;
  return { status, diagnostics, model, epochs: state.epoch, resultEpoch, history, runDir: run?.root ?? null };
}

/** The discriminator's optimizer state, with an adversarial term (its own Adam: train/adversary.ts). */
async function saveAdversaryOptimizer(model: TfModel) {
  const a = adversaryOf(model);
  return a === null ? null : await saveOptimizer("adam", a.optimizer, a.trainable);
}

/** Runs a write into the run directory; a file-system error becomes a diagnostic. */
function attempt(run: RunDir, write: () => void): Diagnostic | null {
  try {
    write();
    return null;
  } catch (e) {
    if (e instanceof RunInUse) return runInUseError(run.root, e);
    return runDirError(run.root, `cannot write to '${run.root}': ${(e as Error).message}`);
  }
}

/** The checker compares a file's header with the input; the data read now must agree too. */
function dataShapeError(ir: IrModel, ds: Dataset): Diagnostic | null {
  const want = ir.input.shape;
  if (ds.shape.length === want.length && ds.shape.every((d, i) => d === want[i])) return null;
  return diag("AE2501", `the data holds examples of shape [${ds.shape.join(", ")}], the input is [${want.join(", ")}]`, ir.train.data!.span, {
    related: [{ span: ir.input.span, message: "the input declared here" }],
  });
}

function splitData(all: Dataset, ir: IrModel): { train: Dataset; validation: Dataset | null } {
  if (ir.train.validation <= 0) return { train: all, validation: null };
  const s = splitValidation(all, ir.train.validation, new Rng(ir.train.seed, "validation"));
  return { train: s.train, validation: s.validation.count > 0 ? s.validation : null };
}

function freshState(ir: IrModel): LoopState {
  return {
    epoch: 0,
    step: 0,
    rng: { train: new Rng(ir.train.seed, "train").state(), shuffle: new Rng(ir.train.seed, "shuffle").state() },
    earlyStop: { best: null, bestEpoch: 0, badEpochs: 0 },
    collapsed: NOT_COLLAPSED,
  };
}

function stopsEarly(ir: IrModel, s: LoopState): boolean {
  return ir.train.earlyStop !== null && s.earlyStop.badEpochs >= ir.train.earlyStop;
}

function writeRunFiles(run: RunDir, ir: IrModel, specText: string | undefined): void {
  if (specText !== undefined) run.writeAtomic(RUN_FILES.spec, specText);
  run.writeAtomic(RUN_FILES.ir, JSON.stringify(ir, null, 2) + "\n");
}
