/**
 * `test: "x_test.npy"` beside `data: "x.npy"`: the spec names its held-out
 * examples. Checked from the headers (the shape must be the training data's;
 * only with a data file), loaded with the training data, range-checked with
 * it before training, and what `aespec eval` and `report` evaluate.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { npyBytes } from "../../src/data/npy-write.js";
import type { EvalReport } from "../../src/eval/eval-report.js";
import { aespec } from "../cli/run-cli.js";
import { tempDir } from "../support/temp-dir.js";

const spec = (train: string) => `model m {
  input: [6]
  encoder { dense(8) relu }
  bottleneck: gaussian(2)
  decoder { dense(6) }
  loss { reconstruction(mse) kl }
  train { ${train} batch: 16 epochs: 2 seed: 4 }
}
`;

/** n examples of [d], the value of example i, feature j: offset + ((i * 7 + j) % 10) / 10. */
function examples(n: number, d: number, offset: number): Uint8Array {
  return npyBytes(
    Float32Array.from({ length: n * d }, (_, k) => offset + ((Math.floor(k / d) * 7 + (k % d)) % 10) / 10),
    [n, d],
  );
}

describe("a spec's test file", () => {
  const dir = tempDir("aespec-test-file-");
  beforeAll(() => {
    writeFileSync(join(dir, "train.npy"), examples(96, 6, 0));
    writeFileSync(join(dir, "test.npy"), examples(24, 6, 0.05));
    writeFileSync(join(dir, "wide.npy"), examples(24, 7, 0));
    writeFileSync(join(dir, "far.npy"), examples(24, 6, 5));
  });
  const check = (train: string, set: string[] = []) => compile(spec(train), { file: join(dir, "m.aespec"), overrides: set });

  it("is checked from its header: in the IR beside the data file, its size in the data's facts", () => {
    const c = check('data: "train.npy" test: "test.npy"');
    expect(c.diagnostics).toEqual([]);
    const data = c.models[0]!.train.data!;
    expect(data.kind === "file" && data.test).toMatchObject({ path: "test.npy", resolvedPath: join(dir, "test.npy"), format: "npy" });
    expect(c.models[0]!.train.dataFacts).toMatchObject({ shape: [6], trainSize: 96, testSize: 24 });
    // Also from the command line.
    const set = check('data: "train.npy"', ['train.test="test.npy"']);
    expect(set.diagnostics).toEqual([]);
    expect(set.models[0]!.hash).toBe(c.models[0]!.hash);
    // A spec without one keeps its hash: the key is absent, not null.
    expect(Object.keys(check('data: "train.npy"').models[0]!.train.data!)).toEqual(["kind", "path", "resolvedPath", "format", "span"]);
  });

  it("is refused where it cannot go with the training data, located", () => {
    const wide = check('data: "train.npy" test: "wide.npy"').diagnostics;
    expect(wide.map((d) => [d.code, d.message])).toEqual([["AE2504", "the test data are [7] an example, the training data [6]"]]);
    expect(wide[0]!.related[0]!.message).toBe("the training data named here");
    const builtin = check('data: lowrank(dim: 6) test: "test.npy"').diagnostics;
    expect(builtin.map((d) => d.code)).toEqual(["AE2504"]);
    expect(builtin[0]!.message).toContain("`data: lowrank` has its own test set");
    const none = check('test: "test.npy"').diagnostics;
    expect(none.map((d) => [d.code, d.message])).toEqual([["AE2504", "a test file needs the training data beside it"]]);
    const set = check('data: "train.npy" test: mnist').diagnostics;
    expect(set.map((d) => d.code)).toEqual(["AE2107"]);
    const missing = check('data: "train.npy" test: "gone.npy"').diagnostics;
    expect(missing.map((d) => d.code)).toEqual(["AE3001"]);
    expect(missing[0]!.related.map((r) => r.message)).toContain("the test data named here");
  });

  it("is what eval and report evaluate, and aespec data writes it", () => {
    writeFileSync(join(dir, "m.aespec"), spec('data: "train.npy" test: "test.npy" validation: 0.25'));
    const t = aespec(["train", "m.aespec", "--backend", "cpu", "--quiet", "--out", "run"], dir);
    expect(t.status, t.stderr).toBe(0);
    const e = aespec(["eval", "run", "--json", "--backend", "cpu", "--iwae-k", "2"], dir);
    expect(e.status).toBe(0);
    const r = JSON.parse(e.stdout) as EvalReport;
    expect([r.split, r.examples]).toEqual(["test", 24]);
    expect(aespec(["eval", "run", "--backend", "cpu", "--iwae-k", "2"], dir).stdout).toContain("test set, 24 examples");
    // The validation fraction still comes out of the training file: 72 trained, 24 validated.
    const line = JSON.parse(
      readFileSync(join(dir, "run", "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")[0]!,
    ) as { examples: number };
    expect(line.examples).toBe(72);
    const d = aespec(["data", "m.aespec", "-o", "data"], dir);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain("wrote train 96 examples; test 24 examples of [6]");
  });

  it("is held to the input's range before training, named", () => {
    writeFileSync(join(dir, "r.aespec"), spec('data: "train.npy" test: "far.npy"').replace("input: [6]", "input: [6] in [0, 1]"));
    const t = aespec(["train", "r.aespec", "--backend", "cpu", "--quiet", "--out", "r"], dir);
    expect(t.status).toBe(1);
    expect(t.stderr).toContain("AE3008");
    expect(t.stderr).toContain("the data in 'far.npy' lie in [5, 5.9]");
  });
});
