import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { fmtShape } from "../diagnostics/format.js";
import type { DataFacts, DataFile, DataKind, DataSource } from "../ir/train.js";
import { testCountFor } from "./builtin/sizes.js";
import type { OpenFiles } from "./file-bytes.js";
import { readHeader } from "./header.js";
import { fail, ok, type Result } from "./result.js";

type FactsOf<K extends DataKind> = (source: Extract<DataSource, { kind: K }>, open?: OpenFiles) => Result<DataFacts>;

/** MNIST's and Fashion-MNIST's split sizes. */
export const MNIST_TRAIN_EXAMPLES = 60000;
export const MNIST_TEST_EXAMPLES = 10000;

/** The test examples kept with `count` training examples: testCountFor(count), at most the whole test set. */
export function mnistTestCount(count: number | undefined): number {
  return count === undefined ? MNIST_TEST_EXAMPLES : Math.min(MNIST_TEST_EXAMPLES, testCountFor(count));
}

const mnistFacts = (count: number | undefined): DataFacts => ({
  shape: [28, 28, 1],
  range: [0, 1],
  trainSize: count ?? MNIST_TRAIN_EXAMPLES,
  testSize: mnistTestCount(count),
  labels: true,
});

/**
 * What is known about a data set without generating or loading it: built-in
 * sets from their definition, files from their header (readHeader: cheap).
 * For `aespec check`, to compare the data with `input`.
 */
const FACTS: { [K in DataKind]: FactsOf<K> } = {
  mnist: (s) => ok(mnistFacts(s.count)),
  fashion_mnist: (s) => ok(mnistFacts(s.count)),
  sprites: (s) => ok({ shape: [s.size, s.size, 1], range: [0, 1], trainSize: s.count, testSize: testCountFor(s.count), labels: true }),
  sphere: (s) => ok({ shape: [s.dim], range: null, trainSize: s.count, testSize: testCountFor(s.count), labels: false }),
  lowrank: (s) => ok({ shape: [s.dim], range: null, trainSize: s.count, testSize: testCountFor(s.count), labels: false }),
  file: (s, open) => {
    const h = readHeader(s.resolvedPath, s.format, open);
    if (!h.ok) return fail({ ...h.diagnostic, related: [...h.diagnostic.related, { span: s.span, message: "the data named here" }] });
    const range = h.value.dtype === "uint8" ? ([0, 1] as const) : null;
    let testSize: number | null = null;
    if (s.test !== undefined) {
      const t = readHeader(s.test.resolvedPath, s.test.format, open);
      if (!t.ok) return fail({ ...t.diagnostic, related: [...t.diagnostic.related, { span: s.test.span, message: "the test data named here" }] });
      const mismatch = testShapeError(h.value.shape, t.value.shape, { ...s, test: s.test });
      if (mismatch !== null) return fail(mismatch);
      testSize = t.value.count;
    }
    return ok({ shape: h.value.shape, range, trainSize: h.value.count, testSize, labels: false });
  },
};

/** The facts of a data set; a data file held in `open` (an editor's unsaved copy) is read from there. */
export function dataFacts(source: DataSource, open?: OpenFiles): Result<DataFacts> {
  return (FACTS[source.kind] as FactsOf<DataKind>)(source, open);
}

/** AE2504 where a test file's examples are not of the training data's shape; null when they are. */
export function testShapeError(
  train: readonly number[],
  test: readonly number[],
  source: Extract<DataSource, { kind: "file" }> & { readonly test: DataFile },
): Diagnostic | null {
  if (train.length === test.length && train.every((d, i) => d === test[i])) return null;
  return diag("AE2504", `the test data are ${fmtShape(test)} an example, the training data ${fmtShape(train)}`, source.test.span, {
    related: [{ span: source.span, message: "the training data named here" }],
  });
}
