/**
 * A trained run's Gaussian model on its data's test split, in evaluation
 * mode, read back as plain arrays: the independent side the eval tests
 * compare `aespec eval` with.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "../../../../src/data/dataset.js";
import { loadData } from "../../../../src/data/load.js";
import { Rng } from "../../../../src/data/rng.js";
import { loadRun } from "../../../../targets/tfjs/train/load-run.js";

export interface RunForward {
  readonly test: Dataset;
  readonly reconstruction: Float32Array;
  readonly mean: Float32Array;
  readonly logVar: Float32Array;
}

export async function gaussianRunForward(runDir: string): Promise<RunForward> {
  const loaded = loadRun(runDir);
  if ("code" in loaded) throw new Error(loaded.message);
  const data = await loadData(loaded.ir.train.data!, { seed: loaded.ir.train.seed });
  if (!data.ok) throw new Error(data.diagnostic.message);
  const test = data.value.test!;
  const [reconstruction, mean, logVar] = tf.tidy(() => {
    const f = loaded.model.forward(tf.tensor(test.x, [test.count, ...test.shape]), { training: false, rng: new Rng(0) });
    return [f.reconstruction.dataSync() as Float32Array, f.gaussian!.mean.dataSync() as Float32Array, f.gaussian!.logVar.dataSync() as Float32Array];
  });
  loaded.model.dispose();
  return { test, reconstruction, mean, logVar };
}
