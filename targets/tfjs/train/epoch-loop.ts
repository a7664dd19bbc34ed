/**
 * One epoch of training and validation, from one LoopState to the next:
 * the epoch's data order, the optimizer steps, the validation pass, the
 * latent statistics, early stopping and the collapse warnings.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "../../../src/data/dataset.js";
import { permutation, Rng } from "../../../src/data/rng.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";
import type { TfModel } from "../model-api.js";
import { AdversarialMeter } from "./adversarial-metrics.js";
import { batchPlan, batchTensor } from "./batches.js";
import type { LoopState } from "../../../src/run/checkpoint.js";
import type { TrainedBy } from "../../../src/run/metrics.js";
import type { EpochMetrics, TrainCallbacks } from "./events.js";
import { latentStats, type LatentStats } from "./latent-stats.js";
import { hasSchedule } from "./losses/index.js";
import { klWeight } from "./losses/kl.js";
import { learningRateAt } from "../../../src/run/lr-schedule.js";
import { setLearningRate } from "./optimizers.js";
import { evalBatch, trainStep } from "./step.js";
import { namedTerms, TermAccumulator } from "./term-means.js";
import { collapseWarnings } from "../../../src/target/collapse-warnings.js";
import { StepCurveMeter } from "../../../src/target/step-curve.js";

export type EpochOutcome =
  | { readonly kind: "done"; readonly state: LoopState; readonly metrics: EpochMetrics; readonly warnings: Diagnostic[] }
  | { readonly kind: "aborted" }
  | {
      readonly kind: "diverged";
      readonly culprit: string;
      readonly batch: number;
      readonly batches: number;
      readonly validation: boolean;
      readonly value: number;
    };

export class EpochLoop {
  private readonly kinds;

  constructor(
    private readonly ir: IrModel,
    private readonly model: TfModel,
    private readonly optimizer: tf.Optimizer,
    private readonly trainSet: Dataset,
    private readonly validation: Dataset | null,
    private readonly opts: Pick<TrainCallbacks, "onStep"> & { readonly signal?: AbortSignal | undefined; readonly trainedBy?: TrainedBy | undefined },
  ) {
    this.kinds = ir.losses.map((t) => t.kind);
  }

  async epoch(s: LoopState): Promise<EpochOutcome> {
    const { ir, model, kinds } = this;
    const started = performance.now();
    const shuffle = Rng.fromState(s.rng.shuffle);
    const rng = Rng.fromState(s.rng.train);
    const order = permutation(this.trainSet.count, shuffle);
    const plan = batchPlan(this.trainSet.count, ir.train.batch);
    const stats = latentStats(ir);
    const scheduled = hasSchedule(ir);
    const trainMeans = new TermAccumulator(kinds, scheduled);
    const curve = new StepCurveMeter(kinds, plan.steps, s.epoch);
    const clock = { stepsPerEpoch: plan.steps, epochs: ir.train.epochs };
    const rateAt = (step: number) => learningRateAt(ir.train.schedule, ir.train.optimizer.lr, step, clock);
    const duels = new AdversarialMeter();
    let seen = 0;
    for (let i = 0; i < plan.steps; i++) {
      // The cpu and wasm backends resolve data() as microtasks: without a turn of the event loop
      // a Ctrl-C (the abort signal) and the progress bar's timer would wait for the end of training.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.opts.signal?.aborted === true) return { kind: "aborted" };
      const size = plan.size(i);
      const x = batchTensor(this.trainSet, order, seen, seen + size);
      setLearningRate(this.optimizer, rateAt(s.step + i));
      const progress = s.epoch + i / plan.steps;
      const out = await trainStep({ model, ir, optimizer: this.optimizer, x, rng, progress, stats: this.validation === null ? stats : null }).finally(() =>
        x.dispose(),
      );
      if (!out.ok) return diverged(out.culprit, i, plan.steps, false, out.losses);
      trainMeans.add(out.losses, size);
      curve.add(i, out.losses.total, out.losses.terms, size);
      if (out.adversarial !== undefined) duels.add(out.adversarial);
      seen += size;
      const elapsed = (performance.now() - started) / 1000;
      this.opts.onStep?.({
        epoch: s.epoch + 1,
        step: i + 1,
        steps: plan.steps,
        total: out.losses.total,
        terms: namedTerms(kinds, out.losses),
        ...(scheduled ? { objective: out.losses.objective } : {}),
        examplesPerSecond: seen / Math.max(elapsed, 1e-9),
      });
    }
    const trainSeconds = (performance.now() - started) / 1000;

    let validationMeans = null;
    if (this.validation !== null) {
      const v = await this.evaluate(this.validation, stats, s.epoch);
      if (v.kind === "diverged") return v;
      validationMeans = v.means;
    }
    const epoch = s.epoch + 1;
    const train = trainMeans.means();
    const monitorOn = validationMeans !== null ? "validation" : "train";
    const monitored = (validationMeans ?? train).total;
    const improved = s.earlyStop.best === null || monitored < s.earlyStop.best;
    const earlyStop = improved ? { best: monitored, bestEpoch: epoch, badEpochs: 0 } : { ...s.earlyStop, badEpochs: s.earlyStop.badEpochs + 1 };
    const gaussian = stats.gaussian();
    const levels = stats.levels();
    const codebook = stats.codebook();
    const adversarial = duels.stats();
    const kl = ir.losses.find((t) => t.kind === "kl");
    const metrics: EpochMetrics = {
      epoch,
      steps: plan.steps,
      examples: this.trainSet.count,
      seconds: (performance.now() - started) / 1000,
      examplesPerSecond: this.trainSet.count / Math.max(trainSeconds, 1e-9),
      ...(this.opts.trainedBy !== undefined ? { trainedBy: this.opts.trainedBy } : {}),
      lr: rateAt(s.step + plan.steps - 1),
      ...(kl !== undefined && kl.kind === "kl" ? { klWeight: klWeight(kl.beta, kl.warmup, s.epoch + (plan.steps - 1) / plan.steps) } : {}),
      train,
      curve: curve.curve(),
      validation: validationMeans,
      statsOn: monitorOn,
      ...(gaussian !== undefined ? { gaussian } : {}),
      ...(levels !== undefined ? { levels } : {}),
      ...(codebook !== undefined ? { codebook } : {}),
      ...(adversarial !== undefined ? { adversarial } : {}),
      monitor: { on: monitorOn, value: monitored, bestEpoch: earlyStop.bestEpoch },
    };
    const { warnings, collapsed } = collapseWarnings(ir, metrics, s.collapsed);
    const state: LoopState = {
      epoch,
      step: s.step + plan.steps,
      rng: { train: rng.state(), shuffle: shuffle.state() },
      earlyStop,
      collapsed,
    };
    return { kind: "done", state, metrics, warnings };
  }

  private async evaluate(ds: Dataset, stats: LatentStats, epoch: number) {
    const { ir, model } = this;
    const plan = batchPlan(ds.count, ir.train.batch);
    // The objective's draws (latent samples, corruption) come from the epoch's own stream: "train" is
    // untouched, and a resumed run validates with the same draws as a straight one.
    const rng = new Rng(ir.train.seed, `evaluation/${epoch}`);
    const means = new TermAccumulator(this.kinds);
    let start = 0;
    for (let i = 0; i < plan.steps; i++) {
      const size = plan.size(i);
      const x = batchTensor(ds, null, start, start + size);
      const out = await evalBatch({ model, ir, x, rng, stats }).finally(() => x.dispose());
      if (!out.ok) return diverged(out.culprit, i, plan.steps, true, out.losses);
      means.add(out.losses, size);
      start += size;
    }
    return { kind: "means" as const, means: means.means() };
  }
}

function diverged(culprit: string, batch: number, batches: number, validation: boolean, losses: { total: number; terms: readonly number[] }) {
  const value = culprit === "total" ? losses.total : (losses.terms.find((v) => !Number.isFinite(v)) ?? losses.total);
  return { kind: "diverged" as const, culprit, batch: batch + 1, batches, validation, value };
}
