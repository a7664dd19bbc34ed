/**
 * The TensorFlow.js target as a library: compile a spec, choose a backend,
 * train with callbacks, and get the trained model back (or load it later
 * from its run directory).
 *
 *   const c = compileModel(text, { model: "vae", overrides: ["train.epochs=2"] });
 *   if (!c.ok) throw ...;                     // c.diagnostics, located in c.compilation.sources
 *   await selectBackend();                    // or selectBackend("cpu")
 *   const trainer = createTrainer(c.model, { outDir: "runs/vae", specText: text });
 *   const r = await trainer.train({ onEpoch: (m) => console.log(m.epoch, m.train.total) });
 *   r.model?.forward(x, { training: false, rng });  ...; r.model?.dispose();
 */
import { compile, modelNames, type Compilation, type CompileOptions } from "../../src/compile.js";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { specAsTrained } from "../../src/run/spec-as-trained.js";
import type { IrModel } from "../../src/ir/model.js";
import { train, type TrainOptions, type TrainResult } from "./train/trainer.js";

export { selectBackend, BACKEND_NAMES, type BackendName, type BackendSelection } from "./backend.js";
export { buildModel } from "./model/build.js";
export type { BuildModel, Forward, ForwardOptions, GaussianOut, NamedVariable, TfModel, VqOut } from "./model-api.js";
export { train, type TrainOptions, type TrainResult, type TrainStatus } from "./train/trainer.js";
export type { CodebookStats, EpochMetrics, GaussianStats, StartInfo, StepInfo, TermMeans, TrainCallbacks } from "./train/events.js";
export { TrainProgress, epochLine, type ProgressOptions } from "../../src/target/progress.js";
export { loadRun, type LoadedRun } from "./train/load-run.js";
export { RUN_FILES } from "../../src/run/run-dir.js";

export type CompiledModel =
  | {
      readonly ok: true;
      readonly model: IrModel;
      readonly compilation: Compilation;
      /** The source with the overrides it was compiled with, as RUN/spec.aespec keeps it: give it to the trainer as specText. */
      readonly specText: string;
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly compilation: Compilation };

/** Compiles a source text and picks one model: `options.model`, or the only one the text declares. */
export function compileModel(source: string, options: CompileOptions = {}): CompiledModel {
  const compilation = compile(source, options);
  if (!compilation.ok || compilation.ast === null) return { ok: false, diagnostics: compilation.diagnostics, compilation };
  const names = modelNames(compilation.ast);
  const wanted = options.model ?? (names.length === 1 ? names[0] : undefined);
  const model = compilation.models.find((m) => m.name === wanted);
  if (model === undefined) {
    const at = { file: options.file ?? "<input>", start: 0, end: 0 };
    const message =
      names.length === 0 ? "the source declares no model" : `the source declares ${names.length} models (${names.join(", ")}): name one with the model option`;
    return { ok: false, diagnostics: [...compilation.diagnostics, diag("AE2009", message, at)], compilation };
  }
  return { ok: true, model, compilation, specText: specAsTrained(source, options.overrides ?? []) };
}

export interface Trainer {
  readonly ir: IrModel;
  /** Trains with the trainer's options, overridden by `options` (callbacks, signal, ...). */
  train(options?: TrainOptions): Promise<TrainResult>;
}

/** A trainer for one model; train() may be called again with `resume: true` to continue the run. */
export function createTrainer(ir: IrModel, defaults: TrainOptions = {}): Trainer {
  return { ir, train: (options = {}) => train(ir, { ...defaults, ...options }) };
}
