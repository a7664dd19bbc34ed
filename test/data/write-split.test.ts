/**
 * `aespec data`: a model's data written as NPY for trainers outside aespec.
 * What numpy reads back is exactly what aespec's trainer loads (examples,
 * labels, factors, per split), data.json says where each is, and bad
 * outputs are refused with a located error, writing nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { compile } from "../../src/compile.js";
import { loadData } from "../../src/data/load.js";
import { npyInt32Bytes } from "../../src/data/npy-write.js";
import { readDataFile } from "../../src/data/read-file.js";
import type { DataManifest } from "../../src/data/write-split.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";

const SPEC = `model s {
  input: [8, 8, 1] in [0, 1]
  encoder { flatten }
  bottleneck: gaussian(3)
  decoder { dense(64) sigmoid reshape([8, 8, 1]) }
  loss { reconstruction(bernoulli) kl() }
  train { data: sprites(size: 8, count: 40) seed: 5 }
}
`;

function specFile(text = SPEC): string {
  const f = join(tempDir("aespec-data-cmd-"), "s.aespec");
  writeFileSync(f, text);
  return f;
}

const PYTHON = "/usr/bin/python3";
const numpy = spawnSync(PYTHON, ["-c", "import numpy"]).status === 0;

describe("aespec data", () => {
  it("writes each split's examples, labels and factors as the trainer loads them, with data.json", async () => {
    const file = specFile();
    const out = join(tempDir("aespec-data-out-"), "data");
    const { io, out: printed, err } = captureIo();
    expect(await main(["data", file, "-o", out], io), err.join("")).toBe(0);
    expect(printed.join("")).toMatch(/^wrote train \d+ examples, labels, factors; test \d+ examples, labels, factors of \[8, 8, 1\] to /);
    const m = JSON.parse(readFileSync(join(out, "data.json"), "utf8")) as DataManifest;
    expect(m).toMatchObject({ format: "aespec-data", version: 1, source: { kind: "sprites", size: 8, count: 40 }, seed: 5, shape: [8, 8, 1] });
    expect(readdirSync(out).sort()).toEqual([
      "data.json",
      "test_factors.npy",
      "test_labels.npy",
      "test_x.npy",
      "train_factors.npy",
      "train_labels.npy",
      "train_x.npy",
    ]);

    const c = compile(SPEC);
    if (!c.ok) throw new Error("spec");
    const ir = c.models[0]!;
    const loaded = await loadData(ir.train.data!, { seed: ir.train.seed });
    if (!loaded.ok) throw new Error(loaded.diagnostic.message);
    for (const [name, ds] of [
      ["train", loaded.value.train],
      ["test", loaded.value.test!],
    ] as const) {
      const files = m[name]!;
      expect(files.count).toBe(ds.count);
      const back = readDataFile(join(out, files.x), "npy");
      if (!back.ok) throw new Error(back.diagnostic.message);
      expect(back.value.shape).toEqual([8, 8, 1]);
      expect(Buffer.from(back.value.x.buffer).equals(Buffer.from(ds.x.buffer))).toBe(true);
      const factors = readDataFile(join(out, files.factors!), "npy");
      if (!factors.ok) throw new Error(factors.diagnostic.message);
      expect(Array.from(factors.value.x)).toEqual(Array.from(ds.factors!.values));
      if (numpy) {
        // numpy's own reading of the int32 labels and the memory-mapped examples.
        const py = `import numpy as np, json, sys
d = sys.argv[1]; m = json.load(open(d + "/data.json"))[sys.argv[2]]
x = np.load(d + "/" + m["x"], mmap_mode="r"); y = np.load(d + "/" + m["labels"]); f = np.load(d + "/" + m["factors"])
print(json.dumps({"x": list(x.shape), "dtype": str(x.dtype), "sum": float(np.asarray(x, dtype=np.float64).sum()), "labels": y.tolist(), "ldtype": str(y.dtype), "f": list(f.shape)}))`;
        const r = spawnSync(PYTHON, ["-c", py, out, name], { encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        const got = JSON.parse(r.stdout) as { x: number[]; dtype: string; sum: number; labels: number[]; ldtype: string; f: number[] };
        expect(got).toMatchObject({ x: [ds.count, 8, 8, 1], dtype: "float32", ldtype: "int32", f: [ds.count, 5] });
        expect(got.labels).toEqual(Array.from(ds.labels!));
        expect(got.sum).toBeCloseTo(
          ds.x.reduce((a, b) => a + b, 0),
          2,
        );
      }
    }
  });

  it("writes int32 NPY files numpy's header grammar accepts", () => {
    const bytes = npyInt32Bytes(Int32Array.from([3, -1, 7]), [3]);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + (bytes[8]! | (bytes[9]! << 8))));
    expect(header).toMatch(/^\{'descr': '<i4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    expect(Array.from(new Int32Array(bytes.slice(10 + header.length).buffer))).toEqual([3, -1, 7]);
  });

  it("refuses an output that is a file, and a spec without data, writing nothing", async () => {
    const file = specFile();
    const notADir = join(tempDir("aespec-data-out-"), "taken");
    writeFileSync(notADir, "keep me");
    const a = captureIo();
    expect(await main(["data", file, "-o", notADir], a.io)).toBe(1);
    expect(a.err.join("")).toMatch(/error AE3205: cannot write the data into '.*taken': it is not a folder/);
    expect(readFileSync(notADir, "utf8")).toBe("keep me");
    const b = captureIo();
    expect(await main(["data", file, "-o", file], b.io)).toBe(1);
    expect(readFileSync(file, "utf8")).toBe(SPEC);
    const noData = specFile(SPEC.replace("  train { data: sprites(size: 8, count: 40) seed: 5 }\n", ""));
    const c = captureIo();
    const out = join(tempDir("aespec-data-out-"), "none");
    expect(await main(["data", noData, "-o", out], c.io)).toBe(1);
    expect(c.err.join("")).toMatch(/error AE3101: model 's' names no training data/);
    expect(existsSync(out)).toBe(false);
  });
});
