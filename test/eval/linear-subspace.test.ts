/**
 * A linear model's subspace is measured against the PCA of the training
 * examples (what its objective defines), all of them, and against the
 * evaluated examples' PCA beside it where those are others: a decoder at the
 * training optimum reads 0 degrees against the first, whatever the second.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { makeDataset, type Dataset } from "../../src/data/dataset.js";
import { Rng } from "../../src/data/rng.js";
import { evalRows } from "../../src/eval/eval-rows.js";
import type { EvalReport } from "../../src/eval/eval-report.js";
import { subspaceAngles } from "../../src/eval/linear-subspace.js";
import type { ModelPort } from "../../src/eval/model-port.js";
import { topPrincipalComponents } from "../../src/metrics/principal-angles.js";
import { rowMatrix } from "../../src/metrics/row-matrix.js";

const [D, K] = [10, 2];

/** n examples spread along the given directions (one a row of `along`), with a little noise elsewhere. */
function spread(n: number, along: readonly (readonly number[])[], rng: Rng): Dataset {
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const t = along.map((_, a) => (3 - a) * rng.normal());
    for (let j = 0; j < D; j++) x[i * D + j] = 0.05 * rng.normal() + along.reduce((s, dir, a) => s + t[a]! * dir[j]!, 0);
  }
  return makeDataset({ x, shape: [D], count: n });
}

const unit = (j: number) => Array.from({ length: D }, (_, i) => (i === j ? 1 : 0));

describe("a linear model's principal angles", () => {
  const model = compile(
    `model lin {\n  input: [${D}]\n  bottleneck: deterministic(${K})\n  decoder { dense(${D}) }\n  loss { reconstruction(mse) }\n  train { data: lowrank(dim: ${D}, rank: ${K}) }\n}\n`,
  ).models[0]!;
  const rng = new Rng(3);
  // The training data lie along e0, e1 (12,000 of them: more than the 10,000 eval once took); the test data along e0, e5.
  const train = spread(12_000, [unit(0), unit(1)], rng);
  const test = spread(500, [unit(0), unit(5)], rng);
  // A decoder whose unit latents step along the training data's top two principal directions.
  const pca = topPrincipalComponents(rowMatrix(train.x, train.count, D), K);
  const port = {
    ir: model,
    decodeLatent: async (z: Float32Array, count: number) => {
      const out = new Float32Array(count * D);
      for (let r = 0; r < count; r++) for (let c = 0; c < K; c++) for (let j = 0; j < D; j++) out[r * D + j]! += z[r * K + c]! * pca.get(j, c);
      return out;
    },
  } as unknown as ModelPort;

  it("against the training PCA: every angle 0, over all the training examples; against the test set's: what differs", async () => {
    const s = (await subspaceAngles(port, train, { split: "test", data: test }))!;
    expect(s.trainExamples).toBe(12_000);
    expect(s.maxDegrees).toBeLessThan(1e-3);
    expect(s.evaluated!.split).toBe("test");
    expect(s.evaluated!.examples).toBe(500);
    // e1 against e5: one angle of about 90 degrees, e0 shared.
    expect(s.evaluated!.anglesDegrees[0]).toBeLessThan(1);
    expect(s.evaluated!.maxDegrees).toBeGreaterThan(85);
    const rows = new Map(evalRows({ ...emptyReport(), subspace: s }));
    expect([...rows.keys()]).toContain("principal angles to the training PCA-2 (deg; 12000 examples)");
    expect(rows.get("principal angles to the test set's PCA-2 (deg)")).toMatch(/^max 8\d\.\d+|^max 90/);
  });

  it("evaluated on the training data itself: one measurement", async () => {
    const s = (await subspaceAngles(port, train, { split: "train", data: train }))!;
    expect(s.evaluated).toBeNull();
  });
});

function emptyReport(): EvalReport {
  return {
    run: "r",
    model: "lin",
    epoch: 1,
    bottleneck: "deterministic",
    split: "test",
    examples: 500,
    reconstruction: { likelihood: "mse", mse: 0, bce: null },
    corrupted: null,
    gaussian: null,
    ladder: null,
    codebook: null,
    probe: null,
    mig: null,
    subspace: null,
    interpolation: null,
    anomaly: null,
    pooledCodes: false,
    notes: [],
  };
}
