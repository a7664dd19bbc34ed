import type { DataFacts, DataKind, DataSource } from "../ir/train.js";
import { testCountFor } from "./builtin/sizes.js";
import { readHeader } from "./header.js";
import { fail, ok, type Result } from "./result.js";

type FactsOf<K extends DataKind> = (source: Extract<DataSource, { kind: K }>) => Result<DataFacts>;

const MNIST_FACTS: DataFacts = { shape: [28, 28, 1], range: [0, 1], trainSize: 60000, testSize: 10000, labels: true };

/**
 * What is known about a data set without generating or loading it: built-in
 * sets from their definition, files from their header (readHeader: cheap).
 * For `aespec check`, to compare the data with `input`.
 */
const FACTS: { [K in DataKind]: FactsOf<K> } = {
  mnist: () => ok(MNIST_FACTS),
  fashion_mnist: () => ok(MNIST_FACTS),
  sprites: (s) => ok({ shape: [s.size, s.size, 1], range: [0, 1], trainSize: s.count, testSize: testCountFor(s.count), labels: true }),
  sphere: (s) => ok({ shape: [s.dim], range: null, trainSize: s.count, testSize: testCountFor(s.count), labels: false }),
  lowrank: (s) => ok({ shape: [s.dim], range: null, trainSize: s.count, testSize: testCountFor(s.count), labels: false }),
  file: (s) => {
    const h = readHeader(s.resolvedPath, s.format);
    if (!h.ok) return fail({ ...h.diagnostic, related: [...h.diagnostic.related, { span: s.span, message: "the data named here" }] });
    const range = h.value.dtype === "uint8" ? ([0, 1] as const) : null;
    return ok({ shape: h.value.shape, range, trainSize: h.value.count, testSize: null, labels: false });
  },
};

export function dataFacts(source: DataSource): Result<DataFacts> {
  return (FACTS[source.kind] as FactsOf<DataKind>)(source);
}
