/**
 * Data against the range the model declares for its input: values outside
 * it train silently into wrong numbers (a Bernoulli likelihood of pixel
 * values 0..255 is a negative cross-entropy), so training refuses them.
 */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { DataSource } from "../ir/train.js";
import type { Dataset, Split } from "./dataset.js";

export interface DeclaredInput {
  /** The input's range as the IR holds it (declared, or guaranteed by the data); null: none to hold the data to. */
  readonly range: readonly [number, number] | null;
  readonly span: Span;
}

/** AE3008 at the data setting when the values lie outside the input's range; null when they fit. */
export function dataRangeError(ds: Dataset, input: DeclaredInput, source: DataSource): Diagnostic | null {
  if (input.range === null || ds.range === null) return null;
  const [lo, hi] = input.range;
  const [min, max] = ds.range;
  if (min >= lo && max <= hi) return null;
  const what = source.kind === "file" ? `the data in '${source.path}'` : `the ${source.kind} data`;
  const bytes = min >= 0 && max <= 255 && max > 1 && lo === 0 && hi === 1;
  const hint = bytes
    ? `the values look like bytes: declare \`in [0, 255]\` (and use mse or gaussian), or divide the values by 255 (uint8 NPY and IDX files are divided by 255 when read)`
    : `declare the range the data has, \`in [${fmt(Math.floor(min))}, ${fmt(Math.ceil(max))}]\`, or scale the values into [${fmt(lo)}, ${fmt(hi)}]`;
  return diag("AE3008", `${what} lie in [${fmt(min)}, ${fmt(max)}], outside the input's range [${fmt(lo)}, ${fmt(hi)}]`, source.span, {
    related: [{ span: input.span, message: "the input declared here" }],
    hint,
  });
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** dataRangeError of the training data, then of the test file a spec names beside a data file. */
export function splitRangeError(split: Split, input: DeclaredInput, source: DataSource): Diagnostic | null {
  const train = dataRangeError(split.train, input, source);
  if (train !== null || split.test === null || source.kind !== "file" || source.test === undefined) return train;
  return dataRangeError(split.test, input, { kind: "file", ...source.test });
}
