/**
 * The IR's parameter table: every tensor the tfjs target builds is listed,
 * in checkpoint order, with its shape and whether it trains; the table's
 * weights are the IR's parameter counts; a builder that strays from it is
 * stopped at build time.
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, compileFile } from "../../src/compile.js";
import type { IrModel } from "../../src/ir/model.js";
import { checkpointTensors, elementCount, parameterTable } from "../../src/ir/parameters.js";
import { createModel } from "../../targets/tfjs/model/build.js";
import { VariableStore } from "../../targets/tfjs/model/variables.js";
import { checkpointVariables } from "../../targets/tfjs/train/checkpoint.js";
import { REPO_ROOT } from "../support/language-reference.js";
import { seeded, useBackend } from "../targets/tfjs/ops/tf-helpers.js";
import { randomSpec } from "../targets/tfjs/model/random-spec.js";

beforeAll(() => useBackend("cpu"));

const specModels = (): IrModel[] =>
  readdirSync(join(REPO_ROOT, "specs"))
    .filter((f) => f.endsWith(".aespec"))
    .flatMap((f) => {
      const c = compileFile(join(REPO_ROOT, "specs", f));
      if (!c.ok) throw new Error(`${f}: ${c.diagnostics.map((d) => d.message).join("; ")}`);
      return [...c.models];
    });

/** Models the random generator does not make: ladders with and without skip, an adversary with state, VQ without restart. */
const EXTRA = [
  "bottleneck: ladder(skip: true) { gaussian(4) gaussian(3) gaussian(2) }\n  loss { reconstruction(mse) kl() }",
  "bottleneck: ladder(skip: false) { gaussian(4) gaussian(2) }\n  loss { reconstruction(mse) kl() }",
  "bottleneck: ladder { gaussian(3) }\n  loss { reconstruction(mse) kl() }",
  "bottleneck: deterministic(3)\n  loss { reconstruction(mse) adversarial(weight: 1) { dense(5) batchnorm relu dense(1) } }",
  "bottleneck: vq(codes: 5, dim: 2, restart: false)\n  loss { reconstruction(mse) commitment() }",
].map((tail) => {
  const c = compile(`model m {\n  input: [6]\n  encoder { dense(8) layernorm relu }\n  ${tail.replace("\n  loss", "\n  decoder { dense(6) }\n  loss")}\n}\n`);
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  return c.models[0]!;
});

function expectTableMatchesTfjs(ir: IrModel, seed: number): void {
  const model = createModel(ir, seeded(seed));
  try {
    const built = checkpointVariables(model).map((v) => ({
      name: v.name,
      shape: [...v.variable.shape],
      trainable: v.variable.trainable,
      dtype: v.variable.dtype,
    }));
    const listed = checkpointTensors(ir).map((p) => ({ name: p.name, shape: [...p.shape], trainable: p.trainable, dtype: "float32" }));
    expect(built, ir.name).toEqual(listed);
  } finally {
    model.dispose();
  }
}

describe("the IR's parameter table", () => {
  it("is what the tfjs target builds, in checkpoint order, for every spec model and the ladder, adversary and VQ variants", () => {
    const models = [...specModels(), ...EXTRA];
    expect(models.length).toBeGreaterThanOrEqual(16);
    models.forEach((ir, i) => expectTableMatchesTfjs(ir, i));
  });

  it("is what the tfjs target builds for random stacks of every layer kind", () => {
    let checked = 0;
    fc.assert(
      fc.property(randomSpec, (text) => {
        const c = compile(text);
        if (!c.ok) return;
        checked++;
        expectTableMatchesTfjs(c.models[0]!, checked);
      }),
      { numRuns: 60, seed: 77 },
    );
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it("counts as weights exactly the IR's parameters, and as layer statistics its state", () => {
    for (const ir of [...specModels(), ...EXTRA]) {
      const t = parameterTable(ir);
      const all = [...t.model, ...t.adversary];
      const weights = all.filter((p) => p.role === "weight").reduce((n, p) => n + elementCount(p.shape), 0);
      expect(weights, ir.name).toBe(ir.totals.parameters);
      const layerStats = all.filter((p) => p.role === "statistic" && p.owner !== "bottleneck").reduce((n, p) => n + elementCount(p.shape), 0);
      expect(layerStats, ir.name).toBe(ir.totals.state);
      expect(new Set(all.map((p) => p.name)).size, ir.name).toBe(all.length);
    }
  });

  it("gives PyTorch-style layouts a target can map: dense [in, out], conv hwio, deconv hwoi, codebooks codes x dim", () => {
    const c = compile(
      "model m {\n  input: [8, 8, 1]\n  encoder { conv(3, kernel: 3) flatten }\n  bottleneck: vq(codes: 7, dim: 2, restart: true)\n  decoder { dense(32) reshape([4, 4, 2]) deconv(1, kernel: 2, stride: 2) }\n  loss { reconstruction(mse) commitment() }\n}\n",
    );
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    const byName = new Map(checkpointTensors(c.models[0]!).map((p) => [p.name, p]));
    expect(byName.get("encoder.0.kernel")).toMatchObject({ shape: [3, 3, 1, 3], layout: "hwio", role: "weight", trainable: true, owner: "encoder.0" });
    expect(byName.get("bottleneck.projection.kernel")).toMatchObject({ shape: [192, 2], layout: "in_out", owner: "bottleneck" });
    expect(byName.get("bottleneck.codebook")).toMatchObject({ shape: [7, 2], layout: "codes_dim", trainable: true });
    expect(byName.get("bottleneck.usage")).toMatchObject({ shape: [7], role: "statistic", trainable: false });
    expect(byName.get("decoder.2.kernel")).toMatchObject({ shape: [2, 2, 1, 2], layout: "hwoi" });
  });
});

describe("the tfjs variable store", () => {
  const table = checkpointTensors(EXTRA[4]!).slice(0, 2);

  it("refuses a variable the table does not list at that place, and an incomplete build", () => {
    const wrongName = new VariableStore(table);
    expect(() => wrongName.weight("encoder.0.weight", tf.zeros([6, 8]))).toThrow(
      /builds 'encoder.0.weight' \[6, 8\] where the IR's parameter table lists 'encoder.0.kernel' \[6, 8\]/,
    );
    const wrongShape = new VariableStore(table);
    expect(() => wrongShape.weight("encoder.0.kernel", tf.zeros([8, 6]))).toThrow(/lists 'encoder.0.kernel' \[6, 8\]/);
    const notTrainable = new VariableStore(table);
    expect(() => notTrainable.stateVariable("encoder.0.kernel", tf.zeros([6, 8]))).toThrow(/\(not trainable\) where/);
    const short = new VariableStore(table);
    short.weight("encoder.0.kernel", tf.zeros([6, 8]));
    expect(() => short.complete()).toThrow(/built 1 tensors, the IR's parameter table lists 2 \(next: 'encoder.0.bias'\)/);
    short.weight("encoder.0.bias", tf.zeros([8]));
    expect(() => short.complete()).not.toThrow();
    expect(() => short.weight("encoder.1.gamma", tf.zeros([8]))).toThrow(/lists nothing more/);
    for (const s of [wrongName, wrongShape, notTrainable, short]) s.dispose();
  });
});
