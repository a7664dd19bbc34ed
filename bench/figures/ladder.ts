/**
 * Ladder figure: specs/vae.aespec ladder_vae (levels of 64, 32 and 16
 * units) with its deterministic skip connections and without
 * (`--set bottleneck.skip=false`), same seed and epochs. The KL warm-up is
 * shortened to one epoch so the last epoch trains at the full KL weight,
 * where upper levels can collapse. On the MNIST test set, in evaluation
 * mode: each level's active units (variance over the data of the merged
 * posterior mean above 0.01) and its KL against its own prior, in nats per
 * image; and the negative ELBO (reconstruction + every level's KL).
 */
import { Rng } from "../../src/data/rng.js";
import type { IrModel } from "../../src/ir/model.js";
import type { TfModel } from "../../targets/tfjs/index.js";
import { batchTensor } from "../../targets/tfjs/train/batches.js";
import { latentStats } from "../../targets/tfjs/train/latent-stats.js";
import { evalBatch } from "../../targets/tfjs/train/step.js";
import { row, specModel, testSet, trainModel } from "./common.js";
import type { Figure } from "./run.js";

const EPOCHS = 2;
const WARMUP = 1;
const BATCH = 500;

/** Per-level statistics and mean loss terms over the test set. */
async function evaluate(ir: IrModel, model: TfModel) {
  const test = await testSet(ir);
  const stats = latentStats(ir);
  const rng = new Rng(1, "figure/ladder");
  const sums = new Float64Array(1 + ir.losses.length);
  for (let start = 0; start < test.count; start += BATCH) {
    const end = Math.min(test.count, start + BATCH);
    const x = batchTensor(test, null, start, end);
    const out = await evalBatch({ model, ir, x, rng, stats }).finally(() => x.dispose());
    if (!out.ok) throw new Error(`${ir.name}: ${out.culprit} is not finite on the test set`);
    [out.losses.total, ...out.losses.terms].forEach((v, k) => (sums[k]! += v * (end - start)));
  }
  const levels = stats.levels();
  if (levels === undefined) throw new Error(`${ir.name} is not a ladder`);
  const term = (kind: string) => sums[1 + ir.losses.findIndex((t) => t.kind === kind)]! / test.count;
  return { count: test.count, levels, total: sums[0]! / test.count, reconstruction: term("reconstruction"), kl: term("kl") };
}

export async function figure(): Promise<Figure> {
  return {
    title: `active units and KL per level of ladder_vae on MNIST, skip connections on and off (${EPOCHS} epochs, KL warm-up ${WARMUP})`,
    run: async () => {
      const widths = [10, 7, 7, 9, 10];
      const rows: string[] = [];
      let count = 0;
      for (const skip of [true, false]) {
        const ir = specModel("vae.aespec", "ladder_vae", [`train.epochs=${EPOCHS}`, `loss.kl.warmup=${WARMUP}`, `bottleneck.skip=${skip}`]);
        const model = await trainModel(ir);
        const r = await evaluate(ir, model);
        model.dispose();
        count = r.count;
        const label = `skip ${skip}`;
        r.levels.forEach((l, i) =>
          rows.push(row([i === 0 ? label : "", `${i}${i === r.levels.length - 1 ? " top" : ""}`, l.units, l.activeUnits, l.kl.toFixed(2)], widths)),
        );
        const active = r.levels.reduce((a, l) => a + l.activeUnits, 0);
        const units = r.levels.reduce((a, l) => a + l.units, 0);
        rows.push(row(["", "all", units, active, r.kl.toFixed(2)], widths) + `  -ELBO ${r.total.toFixed(2)} (reconstruction ${r.reconstruction.toFixed(2)})`);
      }
      console.log(`    ${count} test images, evaluation mode; KL in nats per image against each level's own prior`);
      console.log(`    ${row(["variant", "level", "units", "active", "KL"], widths)}`);
      for (const r of rows) console.log(`    ${r}`);
    },
  };
}
