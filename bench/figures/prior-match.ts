/**
 * Prior-match figure (issue 5, adversarial and Wasserstein): how far the
 * aggregated posterior, the codes of the MNIST test set (evaluation mode),
 * is from the prior N(0, I): |mean|, ||Cov - I||_F over all 10,000 codes,
 * and the unbiased MMD^2 (imq) between 2,000 of them and 2,000 prior draws
 * (src/metrics/prior-distance.ts). Rows: a plain deterministic AE of the aae
 * architecture (the aae spec with its loss replaced by the reconstruction
 * alone: `--set` cannot replace a loss block, so a small model extends aae
 * in the figure's text), wae and aae, all trained the same epochs from the
 * same seed; and 10,000 prior draws themselves, the floor the sample sizes
 * allow. Each model's test reconstruction error is the squared error summed
 * over an image's pixels, comparable across the likelihoods they trained with.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "../../src/data/dataset.js";
import { Rng } from "../../src/data/rng.js";
import type { IrModel } from "../../src/ir/model.js";
import { priorDistance, priorSamples, type PriorDistance } from "../../src/metrics/prior-distance.js";
import { rowMatrix, type RowMatrix } from "../../src/metrics/row-matrix.js";
import { compileModel, type TfModel } from "../../targets/tfjs/index.js";
import { batchTensor } from "../../targets/tfjs/train/batches.js";
import { preflight } from "../../targets/tfjs/train/preflight.js";
import type { Figure } from "./run.js";
import { root, row, testSet, trainModel } from "./common.js";

const EPOCHS = 3;
const BATCH = 500;
const MMD_SAMPLES = 2000;

const PLAIN = `
model plain_ae extends aae {
  loss {
    reconstruction(bernoulli)
  }
}
`;

function models(): IrModel[] {
  const file = resolve(root, "specs", "adversarial.aespec");
  const text = readFileSync(file, "utf8") + PLAIN;
  return ["plain_ae", "wae", "aae"].map((model) => {
    const c = compileModel(text, { file, model, overrides: [`train.epochs=${EPOCHS}`] });
    if (!c.ok) throw new Error(`${model} does not compile: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
    return c.model;
  });
}

/** The codes of every test example (a code map flattened), and the mean squared error per image. */
async function codesOf(model: TfModel, test: Dataset): Promise<{ codes: RowMatrix; sse: number }> {
  const rng = new Rng(1, "figure/prior-match/eval");
  const parts: Float32Array[] = [];
  let dim = 0;
  let sse = 0;
  for (let start = 0; start < test.count; start += BATCH) {
    const end = Math.min(test.count, start + BATCH);
    const [codes, errors] = tf.tidy(() => {
      const x = batchTensor(test, null, start, end);
      const f = model.forward(x, { training: false, rng });
      const n = end - start;
      return [tf.reshape(f.latent, [n, -1]), tf.sum(tf.squaredDifference(tf.reshape(x, [n, -1]), tf.reshape(f.reconstruction, [n, -1])))];
    });
    dim = codes.shape[1]!;
    parts.push((await codes.data()) as Float32Array);
    sse += (await errors.data())[0]!;
    tf.dispose([codes, errors]);
  }
  const all = new Float64Array(test.count * dim);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return { codes: rowMatrix(all, test.count, dim), sse: sse / test.count };
}

/** The same subset and prior draws for every row. */
const distance = (codes: RowMatrix): PriorDistance => priorDistance(codes, { mmdSamples: MMD_SAMPLES, rng: new Rng(1234, "figure/prior-match") });

export async function figure(): Promise<Figure> {
  return {
    title: `aggregated posterior (MNIST test codes) against the prior N(0, I): plain AE, wae, aae (${EPOCHS} epochs each)`,
    run: async () => {
      const irs = models();
      const test = await testSet(irs[0]!);
      const widths = [36, 10, 8, 14, 8];
      const lines: string[] = [];
      const line = (name: string, sse: string, p: PriorDistance) =>
        lines.push(`    ${row([name, sse, p.meanNorm.toFixed(3), p.covarianceDistance.toFixed(3), p.mmd.toFixed(4)], widths)}`);
      for (const ir of irs) {
        const refused = preflight(ir);
        if (refused.length > 0) {
          const why = `${ir.name}: not trainable yet (${refused.map((d) => `${d.code} ${d.message}`).join("; ")})`;
          console.log(`    ${why}`);
          lines.push(`    ${why}`);
          continue;
        }
        const model = await trainModel(ir);
        const { codes, sse } = await codesOf(model, test);
        model.dispose();
        line(`${ir.name} (${ir.losses.map((t) => t.kind).join(" + ")})`, sse.toFixed(2), distance(codes));
      }
      const d = irs[0]!.bottleneck.kind === "deterministic" ? irs[0]!.bottleneck.units : 0;
      line("N(0, I) draws", "-", distance(priorSamples(test.count, d, new Rng(99, "figure/prior-match/reference"))));
      console.log(`    ${test.count} test codes of ${d} units; MMD^2 (imq, unbiased) on ${MMD_SAMPLES} codes against ${MMD_SAMPLES} prior draws`);
      console.log(`    ${row(["model", "SSE/image", "|mean|", "||Cov - I||_F", "MMD^2"], widths)}`);
      for (const l of lines) console.log(l);
    },
  };
}
