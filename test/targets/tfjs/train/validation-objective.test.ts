/**
 * Validation measures the training objective (docs/language.md, "Training"):
 * for a Gaussian VAE, the sampled ELBO, whose expectation is the training
 * loss of the same weights; not the posterior mean decoded, which is lower
 * than any bound (the 87.2 "validation" against a test NLL of 93.96).
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../../../src/data/rng.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { lossTerms } from "../../../../targets/tfjs/train/losses/index.js";
import { evalBatch } from "../../../../targets/tfjs/train/step.js";
import { irOf, spec, useCpu } from "./helpers.js";

beforeAll(useCpu);

const DRAWS = 300;

function meanAndError(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(variance / xs.length) };
}

describe("validation of a Gaussian model", () => {
  it("is the sampled objective: its mean over draws is the training loss's, and above the posterior mean's loss", async () => {
    const ir = irOf(spec({ bottleneck: "gaussian(3)", loss: "reconstruction(mse)\n    kl(beta: 1, warmup: 5)" }));
    const model = createModel(ir, new Rng(2, "init"));
    const x = tf.tidy(() => tf.randomNormal([32, 6], 0, 1, "float32", 4));
    const validation: number[] = [];
    const training: number[] = [];
    for (let i = 0; i < DRAWS; i++) {
      const v = await evalBatch({ model, ir, x, rng: new Rng(i, "validation draw"), stats: null });
      expect(v.ok).toBe(true);
      validation.push(v.losses.total);
      // The training forward's terms at full weight (the model has no dropout: training differs only by its draws).
      training.push(
        tf.tidy(() => {
          const f = model.forward(x, { training: true, rng: new Rng(i, "training draw") });
          return tf.addN(lossTerms(ir, { forward: f, progress: Infinity, training: true, rng: new Rng(0), model }).map((t) => t.value)).dataSync()[0]!;
        }),
      );
    }
    const meanDecoded = tf.tidy(() => {
      const f = model.forward(x, { training: false, rng: new Rng(0) });
      return tf.addN(lossTerms(ir, { forward: f, progress: Infinity, training: false, rng: new Rng(0), model }).map((t) => t.value)).dataSync()[0]!;
    });
    const v = meanAndError(validation);
    const t = meanAndError(training);
    const se = Math.hypot(v.se, t.se);
    const report = `validation ${v.mean} +- ${v.se}, training ${t.mean} +- ${t.se}, posterior mean decoded ${meanDecoded}`;
    expect(Math.abs(v.mean - t.mean), report).toBeLessThan(4 * se);
    // The two differ by far more than the draws' noise: the test can tell them apart.
    expect(v.mean - meanDecoded, report).toBeGreaterThan(10 * se);
    // Draws come from the stream given: the same stream gives the same value.
    const again = await evalBatch({ model, ir, x, rng: new Rng(0, "validation draw"), stats: null });
    expect(again.losses.total).toBe(validation[0]);
    x.dispose();
    model.dispose();
  });
});
