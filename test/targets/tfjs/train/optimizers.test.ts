import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Optimizer } from "../../../../src/ir/train.js";
import type { NamedVariable } from "../../../../targets/tfjs/model-api.js";
import { disposeOptimizer, makeOptimizer, restoreOptimizer, saveOptimizer } from "../../../../targets/tfjs/train/optimizers.js";
import { useCpu } from "./helpers.js";

beforeAll(useCpu);

const span = { file: "t", start: 0, end: 0 };
const OPTIMIZERS: Optimizer[] = [
  { kind: "adam", lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, span },
  { kind: "sgd", lr: 0.05, momentum: 0.9, span },
  { kind: "sgd", lr: 0.05, momentum: 0, span },
  { kind: "rmsprop", lr: 0.01, decay: 0.9, momentum: 0.5, epsilon: 1e-7, span },
];

function variables(): NamedVariable[] {
  return [
    {
      name: "a",
      variable: tf.tidy(() =>
        tf.variable(
          tf.tensor2d([
            [0.3, -1.2],
            [2, 0.7],
          ]),
        ),
      ),
    },
    { name: "b", variable: tf.tidy(() => tf.variable(tf.tensor1d([0.5, -0.25, 1]))) },
  ];
}

/** A non-quadratic loss whose gradients change from step to step. */
function step(opt: tf.Optimizer, vars: NamedVariable[], k: number): void {
  const { value, grads } = tf.variableGrads(
    () => tf.add(tf.sum(tf.tanh(tf.mul(vars[0]!.variable, k + 1))), tf.sum(tf.square(tf.sub(vars[1]!.variable, k * 0.1)))) as tf.Scalar,
    vars.map((v) => v.variable),
  );
  opt.applyGradients(vars.map((v) => ({ name: v.variable.name, tensor: grads[v.variable.name]! })) as unknown as Parameters<tf.Optimizer["applyGradients"]>[0]);
  tf.dispose([value, ...Object.values(grads)]);
}

const bits = (vars: NamedVariable[]) => vars.map((v) => Array.from(new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer)));

describe("optimizer state survives a save and restore exactly", () => {
  for (const o of OPTIMIZERS) {
    it(`${o.kind}${o.kind === "sgd" ? ` (momentum ${o.momentum})` : ""}: 19 + 4 steps through a checkpoint equal 23 straight`, async () => {
      const straightVars = variables();
      const straight = makeOptimizer(o);
      for (let k = 0; k < 23; k++) step(straight, straightVars, k);

      const firstVars = variables();
      const first = makeOptimizer(o);
      for (let k = 0; k < 19; k++) step(first, firstVars, k);
      const saved = await saveOptimizer(o.kind, first, firstVars);
      expect(saved.iterations).toBe(19);
      const weights = firstVars.map((v) => ({ name: v.name, values: Float32Array.from(v.variable.dataSync()) }));
      disposeOptimizer(first);
      firstVars.forEach((v) => v.variable.dispose());

      const before = tf.memory().numTensors;
      const resumedVars = variables();
      resumedVars.forEach((v, i) => tf.tidy(() => v.variable.assign(tf.tensor(weights[i]!.values, v.variable.shape))));
      const resumed = makeOptimizer(o);
      await restoreOptimizer(resumed, saved, resumedVars);
      for (let k = 19; k < 23; k++) step(resumed, resumedVars, k);

      expect(bits(resumedVars)).toEqual(bits(straightVars));
      const after = await saveOptimizer(o.kind, resumed, resumedVars);
      const direct = await saveOptimizer(o.kind, straight, straightVars);
      expect(after.iterations).toBe(23);
      expect(after.slots.map((s) => [s.variable, s.slot, Array.from(s.values)])).toEqual(direct.slots.map((s) => [s.variable, s.slot, Array.from(s.values)]));
      expect(after.extras).toEqual(direct.extras);
      disposeOptimizer(resumed);
      resumedVars.forEach((v) => v.variable.dispose());
      expect(tf.memory().numTensors).toBe(before);
      disposeOptimizer(straight);
      straightVars.forEach((v) => v.variable.dispose());
    });
  }

  it("adam's running powers of beta are saved: pow() would not give the same bits", async () => {
    const o = OPTIMIZERS[0]!;
    const vars = variables();
    const opt = makeOptimizer(o);
    for (let k = 0; k < 5; k++) step(opt, vars, k);
    const saved = await saveOptimizer(o.kind, opt, vars);
    expect(Object.keys(saved.extras).sort()).toEqual(["accBeta1", "accBeta2"]);
    let product = Math.fround(0.999);
    for (let k = 0; k < 5; k++) product = Math.fround(product * Math.fround(0.999));
    expect(saved.extras["accBeta2"]).toBe(product);
    disposeOptimizer(opt);
    vars.forEach((v) => v.variable.dispose());
  });
});
