/**
 * What every picture of the report reads: the trained model behind its
 * port, the evaluated examples (those of `aespec eval`: src/eval/eval-data.ts),
 * their codes at the prior's level, a VQ's codebook (read from the run's
 * checkpoint under the IR's tensor name), how to draw an input, and the
 * report's random stream.
 */
import type { Dataset } from "../data/dataset.js";
import { fail, ok, type Result } from "../data/result.js";
import { Rng } from "../data/rng.js";
import { evalData, firstExamples, type EvalSplit } from "../eval/eval-data.js";
import type { ModelPort } from "../eval/model-port.js";
import type { IrModel } from "../ir/model.js";
import { VQ_TENSORS } from "../ir/parameters.js";
import { readRunResult } from "../run/checkpoint.js";
import { RunDir } from "../run/run-dir.js";
import { imageLayout, type ImageLayout } from "./image-grid.js";
import { portIo, type PortIo } from "./port-io.js";

/** Examples whose codes feed the scatter and the traversals' spread. */
export const CODE_EXAMPLES = 512;

export interface ReportInputs {
  readonly ir: IrModel;
  readonly port: ModelPort;
  readonly io: PortIo;
  readonly split: EvalSplit;
  /** The first evaluated examples (at most CODE_EXAMPLES). */
  readonly examples: Dataset;
  /** Their codes at the prior's level, examples.count x io.codeWidth. */
  readonly codes: Float32Array;
  /** A VQ's code index of each of their latent vectors, examples.count x positions; null for other bottlenecks. */
  readonly vqIndices: Int32Array | null;
  /** A VQ's codebook, codes x dim, as the run's result holds it; null for other bottlenecks. */
  readonly codebook: Float32Array | null;
  /** null for inputs that are not images. */
  readonly image: ImageLayout | null;
  /** The value range drawn black to white. */
  readonly range: readonly [number, number];
  /** Every random draw of the report: the run's seed, stream "report". */
  readonly rng: Rng;
}

export async function reportInputs(port: ModelPort, runDir: string, limit: number | null): Promise<Result<ReportInputs>> {
  const ir = port.ir;
  const data = await evalData(ir, runDir, limit);
  if (!data.ok) return fail(data.diagnostic);
  const examples = firstExamples(data.value.evaluated, CODE_EXAMPLES);
  const io = portIo(port);
  const { codes, vqIndices } = await io.codes(examples.x, examples.count);
  return ok({
    ir,
    port,
    io,
    split: data.value.split,
    examples,
    codes,
    vqIndices,
    codebook: ir.bottleneck.kind === "vq" ? codebookOf(runDir) : null,
    image: imageLayout(ir.input.shape),
    range: ir.input.range ?? examples.range ?? [0, 1],
    rng: new Rng(ir.train.seed, "report"),
  });
}

function codebookOf(runDir: string): Float32Array | null {
  const run = RunDir.open(runDir);
  if (!run.ok) return null;
  const c = readRunResult(run.value);
  if (typeof c === "string") return null;
  const t = c.weights.find((w) => w.name === VQ_TENSORS.codebook);
  return t === undefined || t.dtype !== "float32" ? null : (t.values as Float32Array);
}
