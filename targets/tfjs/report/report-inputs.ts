/**
 * What every picture of the report reads: the trained model (built here so
 * its decode and priorShape are at hand), the evaluated examples (those of
 * `aespec eval`: src/eval/eval-data.ts), their codes at the prior's
 * level, how to draw an input, and the report's random stream.
 */
import type { Dataset } from "../../../src/data/dataset.js";
import { fail, ok, type Result } from "../../../src/data/result.js";
import { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { imageLayout, type ImageLayout } from "../../../src/report/image-grid.js";
import { evalData, firstExamples, type EvalSplit } from "../../../src/eval/eval-data.js";
import { loadRunForEval } from "../eval/load-for-eval.js";
import { createModel, type TfjsModel } from "../model/build.js";
import { modelIo, type ModelIo } from "./model-io.js";

/** Examples whose codes feed the scatter and the traversals' spread. */
export const CODE_EXAMPLES = 512;

export interface ReportInputs {
  readonly ir: IrModel;
  /** The trained model (the pictures draw with it, the metrics measure it) and the epoch of its weights. */
  readonly model: TfjsModel;
  readonly epoch: number;
  readonly io: ModelIo;
  readonly split: EvalSplit;
  /** The first evaluated examples (at most CODE_EXAMPLES). */
  readonly examples: Dataset;
  /** Their codes at the prior's level, examples.count x io.codeWidth. */
  readonly codes: Float32Array;
  /** null for inputs that are not images. */
  readonly image: ImageLayout | null;
  /** The value range drawn black to white. */
  readonly range: readonly [number, number];
  /** Every random draw of the report: the run's seed, stream "report". */
  readonly rng: Rng;
}

/** Loads the run; the caller disposes inputs.io.model. */
export async function reportInputs(runDir: string, limit: number | null): Promise<Result<ReportInputs>> {
  let built: TfjsModel | null = null;
  const loaded = loadRunForEval(runDir, (ir, rng) => (built = createModel(ir, rng)));
  if (!loaded.ok) return loaded;
  const { ir, epoch } = loaded.value;
  const model = built as TfjsModel | null;
  if (model === null) throw new Error("internal: the run loaded without building its model");
  const data = await evalData(ir, runDir, limit);
  if (!data.ok) {
    model.dispose();
    return fail(data.diagnostic);
  }
  const examples = firstExamples(data.value.evaluated, CODE_EXAMPLES);
  const io = modelIo(model, ir.train.seed);
  const codes = await io.codes(examples.x, examples.count);
  return ok({
    ir,
    model,
    epoch,
    io,
    split: data.value.split,
    examples,
    codes,
    image: imageLayout(ir.input.shape),
    range: ir.input.range ?? examples.range ?? [0, 1],
    rng: new Rng(ir.train.seed, "report"),
  });
}
