import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { DataKind, DataSource } from "../ir/train.js";
import { loadFashionMnist } from "./builtin/fashion-mnist.js";
import { loadLowrank } from "./builtin/lowrank.js";
import { loadMnist } from "./builtin/mnist.js";
import { loadSphere } from "./builtin/sphere.js";
import { loadSprites } from "./builtin/sprites.js";
import { subset, type Dataset, type Split } from "./dataset.js";
import { mnistTestCount, testShapeError } from "./facts.js";
import { readDataFile } from "./read-file.js";
import { fail, ok, type Result } from "./result.js";

export interface LoadOptions {
  /** The spec's train.seed: generated sets are a function of it. */
  readonly seed: number;
}

type Loader<K extends DataKind> = (source: Extract<DataSource, { kind: K }>, opts: LoadOptions) => Result<Split>;

/** Values a generated set may hold, so a typo cannot ask for terabytes (typed arrays stop at 2^32 anyway). */
export const MAX_GENERATED_VALUES = 2 ** 28;

const LOADERS: { [K in DataKind]: Loader<K> } = {
  mnist: (s) => firstOf(loadMnist(s.span), s.count),
  fashion_mnist: (s) => firstOf(loadFashionMnist(s.span), s.count),
  sprites: (s, o) =>
    checked(
      s.span,
      [
        ["size", s.size, 4],
        ["count", s.count, 1],
      ],
      s.count * s.size * s.size,
      () => loadSprites(s.size, s.count, o.seed),
    ),
  sphere: (s, o) => {
    if (!(Number.isFinite(s.noise) && s.noise >= 0)) return fail(outOfRange(s.span, `sphere noise must be a finite number >= 0, got ${s.noise}`));
    return checked(
      s.span,
      [
        ["dim", s.dim, 1],
        ["count", s.count, 1],
      ],
      s.count * s.dim,
      () => loadSphere(s.dim, s.noise, s.count, o.seed),
    );
  },
  lowrank: (s, o) => {
    if (Number.isInteger(s.rank) && Number.isInteger(s.dim) && s.rank > s.dim) return fail(outOfRange(s.span, `lowrank rank ${s.rank} exceeds dim ${s.dim}`));
    return checked(
      s.span,
      [
        ["dim", s.dim, 1],
        ["rank", s.rank, 1],
        ["count", s.count, 1],
      ],
      s.count * s.dim,
      () => loadLowrank(s.dim, s.rank, s.count, o.seed),
    );
  },
  file: (s) => {
    const train = readDataFile(s.resolvedPath, s.format);
    if (!train.ok) return fail(namedHere(train.diagnostic, s.span));
    if (s.test === undefined) return ok({ train: train.value, test: null });
    const test = readDataFile(s.test.resolvedPath, s.test.format);
    if (!test.ok) return fail({ ...test.diagnostic, related: [...test.diagnostic.related, { span: s.test.span, message: "the test data named here" }] });
    // Checked from the headers already; the files may have changed since.
    const mismatch = testShapeError(train.value.shape, test.value.shape, { ...s, test: s.test });
    return mismatch === null ? ok({ train: train.value, test: test.value }) : fail(mismatch);
  },
};

/**
 * Loads or generates the data a spec names. Built-in sets come with their
 * test set; a file with the test file its spec names beside it, else it is
 * all training data (test is null: evaluation then uses the validation
 * fraction, see splitValidation).
 */
export async function loadData(source: DataSource, opts: LoadOptions): Promise<Result<Split>> {
  return (LOADERS[source.kind] as Loader<DataKind>)(source, opts);
}

/** A fixed set's first `count` training examples and first mnistTestCount(count) test ones; all without a count. */
function firstOf(loaded: Result<Split>, count: number | undefined): Result<Split> {
  if (!loaded.ok || count === undefined) return loaded;
  const first = (ds: Dataset, n: number) =>
    subset(
      ds,
      Array.from({ length: Math.min(n, ds.count) }, (_, i) => i),
    );
  const { train, test } = loaded.value;
  return ok({ train: first(train, count), test: test === null ? null : first(test, mnistTestCount(count)) });
}

/** Defends the generators against sizes the checker should already have refused. */
function checked(at: Span, ints: [string, number, number][], values: number, make: () => Split): Result<Split> {
  for (const [name, v, min] of ints) {
    if (!Number.isSafeInteger(v) || v < min) return fail(outOfRange(at, `${name} must be a whole number >= ${min}, got ${v}`));
  }
  if (values > MAX_GENERATED_VALUES) return fail(outOfRange(at, `the generated set would hold ${values} values (at most ${MAX_GENERATED_VALUES})`));
  return ok(make());
}

function outOfRange(at: Span, message: string): Diagnostic {
  return diag("AE2108", message, at);
}

function namedHere(d: Diagnostic, at: Span): Diagnostic {
  return { ...d, related: [...d.related, { span: at, message: "the data named here" }] };
}
