import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadLowrank } from "../../src/data/builtin/lowrank.js";
import { loadSphere } from "../../src/data/builtin/sphere.js";
import { loadSprites } from "../../src/data/builtin/sprites.js";
import { makeDataset } from "../../src/data/dataset.js";
import { dataFacts } from "../../src/data/facts.js";
import { formatFromPath, readHeader } from "../../src/data/header.js";
import { loadData } from "../../src/data/load.js";
import { readDataFile } from "../../src/data/read-file.js";
import { Rng } from "../../src/data/rng.js";
import { splitValidation } from "../../src/data/split.js";
import type { DataSource } from "../../src/ir/train.js";
import { idxFile, npyFile, tempDir, writeBytes } from "./builders.js";

const span = { file: "/specs/m.aespec", start: 40, end: 52 };
const dir = tempDir();

describe("loadData", () => {
  it("generated sets are those of their generators, from the seed", async () => {
    const cases: [DataSource, () => unknown][] = [
      [{ kind: "sprites", size: 16, count: 60, span }, () => loadSprites(16, 60, 5)],
      [{ kind: "sphere", dim: 3, noise: 0.1, count: 60, span }, () => loadSphere(3, 0.1, 60, 5)],
      [{ kind: "lowrank", dim: 8, rank: 2, count: 60, span }, () => loadLowrank(8, 2, 60, 5)],
    ];
    for (const [source, direct] of cases) {
      const r = await loadData(source, { seed: 5 });
      expect(r).toEqual({ ok: true, value: direct() });
    }
  });

  it("a file is all training data, with no test set", async () => {
    const path = writeBytes(dir, "a.npy", npyFile({ dtype: "<f4", shape: [4, 2], values: [1, 2, 3, 4, 5, 6, 7, 8] }).bytes);
    const r = await loadData({ kind: "file", path: "a.npy", resolvedPath: path, format: "npy", span }, { seed: 1 });
    expect(r.ok && [r.value.train.count, r.value.test]).toEqual([4, null]);
  });

  it("a bad file's diagnostic names the file and points back at the spec", async () => {
    const path = writeBytes(dir, "bad.csv", "1,2\n3\n");
    const r = await loadData({ kind: "file", path: "bad.csv", resolvedPath: path, format: "csv", span }, { seed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe("AE3004");
    expect(r.diagnostic.span.file).toBe(path);
    expect(r.diagnostic.related).toEqual([{ span, message: "the data named here" }]);
  });

  it("sizes the checker should have refused are diagnostics, not crashes", async () => {
    const bad: DataSource[] = [
      { kind: "sprites", size: 0, count: 10, span },
      { kind: "sprites", size: 64, count: 1e9, span },
      { kind: "sphere", dim: 3, noise: -1, count: 10, span },
      { kind: "sphere", dim: 2.5, noise: 0, count: 10, span },
      { kind: "lowrank", dim: 4, rank: 5, count: 10, span },
    ];
    for (const source of bad) {
      const r = await loadData(source, { seed: 1 });
      expect(!r.ok && [r.diagnostic.code, r.diagnostic.span]).toEqual(["AE2108", span]);
    }
  });
});

describe("readHeader agrees with the loaded data", () => {
  it("for every format", () => {
    const files: [string, Uint8Array | string, "npy" | "idx" | "csv"][] = [
      ["h.npy", npyFile({ dtype: "|u1", shape: [3, 2, 2], values: new Array(12).fill(7) }).bytes, "npy"],
      ["h.idx", idxFile(0x0d, [2, 5], new Array(10).fill(0.5)), "idx"],
      ["h.csv", "p,q\n1,2\n3,4\n5,6\n", "csv"],
    ];
    for (const [name, bytes, format] of files) {
      const path = writeBytes(dir, name, bytes);
      const h = readHeader(path, format);
      const d = readDataFile(path, format);
      expect(h.ok && d.ok && [h.value.count, h.value.shape]).toEqual(d.ok && [d.value.count, d.value.shape]);
    }
  });

  it("formatFromPath", () => {
    expect(["x.npy", "x.NPY", "x.csv", "x.idx", "x.idx.gz", "train-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz", "x.txt"].map(formatFromPath)).toEqual([
      "npy",
      "npy",
      "csv",
      "idx",
      "idx",
      "idx",
      "idx",
      null,
    ]);
  });
});

describe("dataFacts", () => {
  it("agree with the generated data", async () => {
    const sources: DataSource[] = [
      { kind: "sprites", size: 16, count: 60, span },
      { kind: "sphere", dim: 3, noise: 0.1, count: 60, span },
      { kind: "lowrank", dim: 8, rank: 2, count: 60, span },
    ];
    for (const source of sources) {
      const facts = dataFacts(source);
      const data = await loadData(source, { seed: 3 });
      if (!facts.ok || !data.ok) throw new Error("expected data");
      expect([facts.value.shape, facts.value.trainSize, facts.value.testSize, facts.value.labels]).toEqual([
        data.value.train.shape,
        data.value.train.count,
        data.value.test!.count,
        data.value.train.labels !== null,
      ]);
    }
  });

  it("mnist is known without reading it; a file from its header", () => {
    expect(dataFacts({ kind: "mnist", span })).toEqual({
      ok: true,
      value: { shape: [28, 28, 1], range: [0, 1], trainSize: 60000, testSize: 10000, labels: true },
    });
    const path = writeBytes(dir, "facts.npy", npyFile({ dtype: "|u1", shape: [5, 4, 4], values: new Array(80).fill(1) }).bytes);
    expect(dataFacts({ kind: "file", path: "facts.npy", resolvedPath: path, format: "npy", span })).toEqual({
      ok: true,
      value: { shape: [4, 4, 1], range: [0, 1], trainSize: 5, testSize: null, labels: false },
    });
    const missing = dataFacts({ kind: "file", path: "no.npy", resolvedPath: `${dir}/no.npy`, format: "npy", span });
    expect(!missing.ok && [missing.diagnostic.code, missing.diagnostic.related.length]).toEqual(["AE3001", 1]);
  });
});

describe("splitValidation", () => {
  const count = 50;
  const ds = makeDataset({
    x: Float32Array.from({ length: count * 2 }, (_, i) => Math.floor(i / 2)),
    shape: [2],
    count,
    labels: Int32Array.from({ length: count }, (_, i) => i),
    factors: { names: ["f"], values: Float32Array.from({ length: count }, (_, i) => 100 + i) },
  });

  it("partitions the examples, keeping rows, labels and factors together and in order", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (fraction, seed) => {
        const { train, validation } = splitValidation(ds, fraction, new Rng(seed));
        expect(train.count + validation.count).toBe(count);
        expect(validation.count).toBe(fraction === 0 ? 0 : Math.max(1, Math.min(count - 1, Math.round(count * fraction))));
        const ids = [...train.labels!, ...validation.labels!].sort((a, b) => a - b);
        expect(ids).toEqual([...Array(count).keys()]);
        for (const part of [train, validation]) {
          const l = Array.from(part.labels!);
          expect(l).toEqual([...l].sort((a, b) => a - b));
          l.forEach((id, i) => {
            expect([part.x[2 * i], part.x[2 * i + 1], part.factors!.values[i]]).toEqual([id, id, 100 + id]);
          });
        }
      }),
      { numRuns: 50 },
    );
  });

  it("depends on the generator: another seed holds out other examples", () => {
    const a = splitValidation(ds, 0.2, new Rng(1)).validation.labels;
    expect(splitValidation(ds, 0.2, new Rng(1)).validation.labels).toEqual(a);
    expect(splitValidation(ds, 0.2, new Rng(2)).validation.labels).not.toEqual(a);
  });
});
