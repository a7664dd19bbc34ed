/**
 * The TensorFlow.js target as the command line sees it (src/target/target.ts):
 * trains, and opens a run's model for eval and report, on the backend `--backend` names or
 * the fastest that loads. Light on purpose: tfjs is loaded by each command
 * when it runs.
 */
import { AESPEC_VERSION } from "../../src/version.js";
import { ok } from "../../src/data/result.js";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../src/ir/model.js";
import type { Runtime, Target, TargetOptions, Unavailable } from "../../src/target/target.js";
import { BACKEND_NAMES, type BackendName } from "./backend-names.js";
import { backendUnavailable } from "./backend-refusal.js";

/** Loads tfjs and selects the backend the options name (else the fastest that loads). */
async function selected(options: TargetOptions): Promise<Runtime | Unavailable> {
  const { selectBackend } = await import("./backend.js");
  const backend = await selectBackend(options["backend"] as BackendName | undefined);
  if (backend.error !== null) return { unavailable: backendUnavailable(backend.name, backend.detail) };
  return { name: backend.name, summary: `${backend.name} (${backend.short})`, details: [backend.detail, ...backend.skipped.map((s) => `skipped ${s}`)] };
}

async function unsupported(ir: IrModel): Promise<readonly Diagnostic[]> {
  const [{ unsupportedFeatures }, { unsupportedTerms }] = await Promise.all([import("./model/support.js"), import("./train/losses/index.js")]);
  return [
    ...unsupportedFeatures(ir).map((u) => diag("AE3102", u.message, u.span, { hint: "`aespec check` and `aespec summary` still work on this spec" })),
    ...unsupportedTerms(ir),
  ];
}

export const TFJS_TARGET: Target = {
  name: "tfjs",
  description: "TensorFlow.js in this process: WebAssembly with OpenBLAS matrix products, plain WebAssembly, tfjs-node where installed",
  options: [
    {
      flag: "--backend <name>",
      description: "force a TensorFlow.js backend (default: the fastest that loads)",
      choices: BACKEND_NAMES,
      commands: ["train", "eval", "report"],
    },
  ],
  unsupported,

  async train(ir, request) {
    const runtime = await selected(request.options);
    if ("unavailable" in runtime) return runtime;
    request.runtime(runtime);
    const { train, TrainProgress } = await import("./index.js");
    const progress = new TrainProgress({ line: request.line, barStream: request.barStream });
    try {
      const result = await train(ir, {
        outDir: request.outDir,
        resume: request.resume,
        specText: request.specText,
        signal: request.signal,
        trainedBy: { aespec: AESPEC_VERSION, target: "tfjs", runtime: runtime.summary },
        ...progress.callbacks(),
        onWarning: (w) => {
          progress.stop();
          request.warning(w);
        },
      });
      result.model?.dispose();
      return {
        status: result.status,
        errors: result.diagnostics.filter((d) => d.severity === "error"),
        epochs: result.epochs,
        resultEpoch: result.resultEpoch,
      };
    } finally {
      progress.stop();
    }
  },

  async openModel(runDir, options) {
    const runtime = await selected(options);
    if ("unavailable" in runtime) return runtime;
    const { openRunPort } = await import("./eval/index.js");
    const port = openRunPort(runDir);
    return port.ok ? ok({ port: port.value, runtime }) : port;
  },
};
