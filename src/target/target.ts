/**
 * What a target is to the rest of aespec: a name, the options it adds to the
 * commands it serves, what it cannot run (located diagnostics, so `aespec
 * check --target T` can say so before anything trains), and the commands it
 * serves (train, eval, report, export, encode), each optional. Targets are
 * listed in one explicit table (targets/table.ts); the command line goes
 * through this interface only and names no target.
 *
 * A target's module that implements this interface must stay light: no
 * tensor library or runtime at its top level; each command loads its heavy
 * code by a dynamic import when it runs.
 */
import type { Result } from "../data/result.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ModelPort } from "../eval/model-port.js";
import type { IrModel } from "../ir/model.js";

export type TargetCommand = "train" | "eval" | "report" | "export" | "encode";

/** An option a target adds to some commands, e.g. tfjs's `--backend <name>` on train, eval and report. */
export interface TargetOption {
  /** The flag as commander spells it: `--backend <name>`; its value's key in TargetOptions is the long name in camelCase (`backend`). */
  readonly flag: string;
  readonly description: string;
  /** The values it accepts; absent: any. */
  readonly choices?: readonly string[];
  /** Why a value given is not one it accepts (a usage error), or null. */
  readonly invalid?: (value: string) => string | null;
  readonly commands: readonly TargetCommand[];
}

/** The values of a target's own options given on the command line, by key. */
export type TargetOptions = Readonly<Record<string, string>>;

/** What the target runs on, as the command prints it: `backend wasm+blas (OpenBLAS SkylakeX, 2 threads)`. */
export interface Runtime {
  /** `wasm+blas`: eval's JSON calls it `backend`. */
  readonly name: string;
  /** One short line: `wasm+blas (OpenBLAS SkylakeX, 2 threads)`. */
  readonly summary: string;
  /** What --verbose adds: packages and versions, the candidates skipped and why. */
  readonly details: readonly string[];
}

/** A target that cannot start here (a missing engine, a backend that does not load): the diagnostic to print, with its fix. */
export interface Unavailable {
  readonly unavailable: Diagnostic;
}

export const isUnavailable = (x: object): x is Unavailable => "unavailable" in x;

/** failed: the run directory could not be written (the last checkpoint written stays). */
export type TrainStatus = "completed" | "early_stopped" | "aborted" | "diverged" | "failed" | "refused";

export interface TrainRequest {
  /** The run directory. */
  readonly outDir: string;
  readonly resume: boolean;
  /** The spec as trained (with its overrides), written to RUN/spec.aespec. */
  readonly specText: string;
  /** Finish the current batch, keep the last checkpoint, stop. */
  readonly signal: AbortSignal;
  readonly options: TargetOptions;
  /** What it runs on, once it has started (the command prints it as --quiet and --verbose say). */
  readonly runtime: (r: Runtime) => void;
  /** Prints a line of progress (each epoch). */
  readonly line: (text: string) => void;
  /** Where a live progress bar may draw; null: nowhere (not a terminal). */
  readonly barStream: NodeJS.WritableStream | null;
  /** A warning raised while training (posterior collapse, ...), shown as it happens. */
  readonly warning: (d: Diagnostic) => void;
}

export interface TrainOutcome {
  readonly status: TrainStatus;
  /** The errors that refused or stopped the run (warnings went to TrainRequest.warning). */
  readonly errors: readonly Diagnostic[];
  /** Epochs completed in all, counting those before a resume. */
  readonly epochs: number;
  /** The epoch whose weights are the run's result: the best one with early_stop, else the last. */
  readonly resultEpoch: number;
}

export interface Exported {
  readonly bytes: number;
  /** The format written, as the command says it: `ONNX opset 17`. */
  readonly format: string;
}

export interface EncodedFile {
  /** The encoder output the codes are (`mean`, `quantized`, ...). */
  readonly output: string;
  /** [count, ...latent]. */
  readonly shape: readonly number[];
}

/** What `aespec compile --emit TARGET -o OUTPUT` asks a target to write. */
export interface EmitRequest {
  readonly output: string;
  /** The spec as compiled (with its overrides). */
  readonly specText: string;
  /** The command's input files, which the output must not replace. */
  readonly inputs: readonly string[];
}

export interface Emitted {
  readonly files: number;
  /** One phrase for the command's closing line. */
  readonly detail: string;
}

export interface Target {
  readonly name: string;
  /** One line for `aespec targets`. */
  readonly description: string;
  readonly options: readonly TargetOption[];
  /** Why this target cannot run `ir` (AE3102 and its kin, at the IR's spans); empty when it can. */
  unsupported(ir: IrModel): Promise<readonly Diagnostic[]>;
  readonly train?: (ir: IrModel, request: TrainRequest) => Promise<TrainOutcome | Unavailable>;
  /**
   * The run's trained model behind the evaluation port (src/eval/model-port.ts), which `aespec eval`
   * measures (src/eval/evaluate-run.ts) and `aespec report` draws (src/report); the caller disposes it.
   */
  readonly openModel?: (runDir: string, options: TargetOptions) => Promise<Result<{ readonly port: ModelPort; readonly runtime: Runtime }> | Unavailable>;
  /** The parts `export --part` accepts, and the export of one into `output`. */
  readonly exports?: {
    readonly parts: readonly string[];
    readonly write: (runDir: string, part: string, output: string) => Promise<Result<Exported>>;
  };
  /** What `aespec compile --emit NAME -o DIR` writes: the target's own form of the model (the PyTorch package). */
  readonly emit?: {
    readonly what: string;
    readonly write: (ir: IrModel, request: EmitRequest) => Promise<Result<Emitted>>;
  };
  /** The latent codes of a data file's examples (with `indices`, a VQ's code indices), written to `output` as NPY. */
  readonly encode?: (runDir: string, dataFile: string, output: string, opts: { readonly indices: boolean }) => Promise<Result<EncodedFile>>;
}

/** The commands a target serves. */
export function commandsOf(t: Target): TargetCommand[] {
  const has: { readonly [C in TargetCommand]: boolean } = {
    train: t.train !== undefined,
    eval: t.openModel !== undefined,
    report: t.openModel !== undefined,
    export: t.exports !== undefined,
    encode: t.encode !== undefined,
  };
  return (Object.keys(has) as TargetCommand[]).filter((c) => has[c]);
}

/** An entry of the target table: its name, and its module loaded on demand. */
export interface TargetEntry {
  readonly name: string;
  readonly load: () => Promise<Target>;
}
