import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { irOf, randomValues, seeded, useBackend, values } from "../ops/tf-helpers.js";

describe("selectBackend", () => {
  it("reports a forced native backend that is not installed as an error, and changes nothing", async () => {
    await useBackend("cpu");
    for (const name of ["tensorflow", "tensorflow-gpu"] as const) {
      const r = await selectBackend(name);
      if (r.error === null) continue; // installed here after all
      expect(r.name).toBe(name);
      expect(r.error).toMatch(/not available: @tensorflow\/tfjs-node(-gpu)? (is not installed|failed to load|loaded but)/);
      expect(tf.getBackend()).toBe("cpu");
    }
  });

  it("picks the fastest backend that works, never the plain cpu one here", async () => {
    const r = await selectBackend();
    expect(r.error).toBeNull();
    expect(["tensorflow-gpu", "tensorflow", "wasm+blas", "wasm"]).toContain(r.name);
    expect(r.detail.length).toBeGreaterThan(0);
  });
});

const SPEC = `model all {
  input: [8, 8, 2] in [0, 1]
  corrupt: gaussian(sigma: 0.1)
  encoder {
    conv(4, kernel: 3, stride: 2) leaky_relu batchnorm
    conv(5, kernel: 2, stride: 1, padding: valid) gelu layernorm
    deconv(3, kernel: 3, stride: 2, padding: valid) elu dropout(0.2)
    flatten dense(10) softplus
  }
  bottleneck: gaussian(4)
  decoder { dense(12) tanh reshape([2, 2, 3]) deconv(2, kernel: 4, stride: 4) sigmoid }
  loss { reconstruction(mse) kl() }
}`;

const VQ_SPEC = `model q {
  input: [6, 6, 1]
  encoder { conv(4, kernel: 3, stride: 2) relu }
  bottleneck: vq(codes: 8, dim: 3, ema: 0.9)
  decoder { deconv(1, kernel: 2, stride: 2) }
  loss { reconstruction(mse) commitment() }
}`;

/** Reconstructions (evaluation, then training), VQ indices and state after afterStep, on the current backend. */
function outputs(spec: string, input: Float32Array, shape: number[]) {
  const model = createModel(irOf(spec), seeded(1));
  const x = tf.tensor(input, shape);
  const out = tf.tidy(() => {
    const evaluation = model.forward(x, { training: false, rng: seeded(2) });
    const training = model.forward(x, { training: true, rng: seeded(2) });
    return {
      evaluation: values(evaluation.reconstruction),
      training: values(training.reconstruction),
      indices: evaluation.vq === null ? [] : Array.from(evaluation.vq.indices.dataSync()),
    };
  });
  // Then the updates after a step (batchnorm statistics, the EMA codebook).
  model.afterStep(null as never, seeded(4));
  const state = model.state.flatMap((v) => values(v.variable));
  model.dispose();
  x.dispose();
  return { ...out, state };
}

function expectRelativelyClose(a: number[], b: number[]): void {
  const scale = Math.max(...b.map(Math.abs));
  const err = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  expect(err / scale).toBeLessThan(1e-5);
}

describe("wasm against cpu", () => {
  it("gives the same forward pass, within 1e-5 relative, in evaluation and training", async () => {
    const cases = [
      { spec: SPEC, shape: [3, 8, 8, 2] },
      { spec: VQ_SPEC, shape: [3, 6, 6, 1] },
    ];
    const inputs = cases.map((c) =>
      randomValues(
        c.shape.reduce((a, b) => a * b),
        seeded(3),
      ).map((v) => (v + 1) / 2),
    );
    await useBackend("cpu");
    const cpu = cases.map((c, i) => outputs(c.spec, inputs[i]!, c.shape));
    await useBackend("wasm");
    const wasm = cases.map((c, i) => outputs(c.spec, inputs[i]!, c.shape));
    cases.forEach((_, i) => {
      expectRelativelyClose(wasm[i]!.evaluation, cpu[i]!.evaluation);
      expectRelativelyClose(wasm[i]!.training, cpu[i]!.training);
      expect(wasm[i]!.indices).toEqual(cpu[i]!.indices);
      expect(cpu[i]!.state.length).toBeGreaterThan(0);
      expectRelativelyClose(wasm[i]!.state, cpu[i]!.state);
    });
    expect(cpu[1]!.indices.length).toBe(27);
  });
});
