/**
 * The examples a run is evaluated on, and the training examples some
 * metrics fit on (the linear probe, PCA): built-in sets use their test set,
 * and so does a data file with the `test:` file its spec names; a file
 * without one has none, so its validation fraction (the same examples the trainer
 * held out: the seed's "validation" stream) is used, or, with no validation
 * fraction, the training data itself (and the report says so).
 */
import { subset, type Dataset } from "../data/dataset.js";
import { loadData } from "../data/load.js";
import { fail, ok, type Result } from "../data/result.js";
import { Rng } from "../data/rng.js";
import { splitValidation } from "../data/split.js";
import { diag } from "../diagnostics/diagnostic.js";
import type { IrModel } from "../ir/model.js";
import type { EvalSplit } from "./eval-report.js";

export type { EvalSplit } from "./eval-report.js";

export interface EvalData {
  readonly split: EvalSplit;
  readonly evaluated: Dataset;
  /** The training part the trainer used (without the validation examples). */
  readonly train: Dataset;
}

export async function evalData(ir: IrModel, runDir: string, limit: number | null): Promise<Result<EvalData>> {
  const source = ir.train.data;
  if (source === null) return fail(diag("AE3301", `cannot evaluate '${runDir}': its spec names no data`, { file: runDir, start: 0, end: 0 }));
  const loaded = await loadData(source, { seed: ir.train.seed });
  if (!loaded.ok) return loaded;
  const all = loaded.value.train;
  if (all.shape.join() !== ir.input.shape.join()) {
    return fail(
      diag("AE3301", `cannot evaluate '${runDir}': its data are [${all.shape.join(", ")}], the model takes [${ir.input.shape.join(", ")}]`, source.span),
    );
  }
  const held = ir.train.validation > 0 ? splitValidation(all, ir.train.validation, new Rng(ir.train.seed, "validation")) : null;
  const train = held?.train ?? all;
  let split: EvalSplit;
  let evaluated: Dataset;
  if (loaded.value.test !== null) [split, evaluated] = ["test", loaded.value.test];
  else if (held !== null && held.validation.count > 0) [split, evaluated] = ["validation", held.validation];
  else [split, evaluated] = ["train", all];
  return ok({ split, evaluated: firstExamples(evaluated, limit), train });
}

/** The first n examples (all when n is null or larger). */
export function firstExamples(ds: Dataset, n: number | null): Dataset {
  if (n === null || n >= ds.count) return ds;
  return subset(
    ds,
    Array.from({ length: n }, (_, i) => i),
  );
}
