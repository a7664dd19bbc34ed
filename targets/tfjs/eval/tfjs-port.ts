/**
 * The tfjs model behind the evaluation port (src/eval/model-port.ts): each
 * call builds its input tensor, runs the model inside tf.tidy and reads the
 * outputs back into plain arrays, leaving no tensor behind.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../src/data/rng.js";
import type { Corruption } from "../../../src/ir/losses.js";
import type { LadderLevelArrays, LadderSample, ModelPort, PortForward } from "../../../src/eval/model-port.js";
import type { TfModel } from "../model-api.js";
import type { TfjsModel } from "../model/build.js";
import { CORRUPTIONS, type Corrupted, type InputRange } from "../model/corruptions.js";

const floats = async (t: tf.Tensor) => Float32Array.from((await t.data()) as Float32Array);

/** Every tensor of `out` (a tree of tensors, numbers and nulls) read into a typed array; the tensors disposed. */
async function read(out: unknown): Promise<unknown> {
  try {
    return await readTree(out);
  } finally {
    tf.dispose(collect(out));
  }
}

async function readTree(x: unknown): Promise<unknown> {
  if (x instanceof tf.Tensor) return x.dtype === "int32" ? Int32Array.from((await x.data()) as Int32Array) : floats(x);
  if (Array.isArray(x)) return Promise.all(x.map(readTree));
  if (x !== null && typeof x === "object") return Object.fromEntries(await Promise.all(Object.entries(x).map(async ([k, v]) => [k, await readTree(v)])));
  return x;
}

function collect(x: unknown): tf.Tensor[] {
  if (x instanceof tf.Tensor) return [x];
  if (Array.isArray(x)) return x.flatMap(collect);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(collect);
  return [];
}

/** The model's decode from the prior's level: TfjsModel's own; for a model built without it (a test's stand-in), the decoder's latent, which is the prior's level of every bottleneck but a ladder. */
function priorDecoder(model: TfModel): Pick<TfjsModel, "decode" | "priorShape"> {
  if ("decode" in model && "priorShape" in model) return model as TfjsModel;
  if (model.ir.bottleneck.kind === "ladder") throw new Error("internal: a ladder model without its decode from the top level");
  return { priorShape: model.ir.bottleneck.latentShape, decode: (z, opts) => model.decodeLatent(z, opts) };
}

export function tfjsPort(model: TfModel, epoch: number): ModelPort {
  const ir = model.ir;
  // Evaluation draws nothing; streams of their own in case a layer did.
  const forwardRng = new Rng(ir.train.seed, "eval/forward");
  const decodeRun = { training: false, rng: new Rng(0, "eval/decoder") };
  const decoder = priorDecoder(model);
  const input = (x: Float32Array, count: number) => tf.tensor(x, [count, ...ir.input.shape], "float32");
  const flat = (t: tf.Tensor, count: number) => tf.reshape(t, [count, -1]);
  const levelOf = (l: { mean: tf.Tensor; logVar: tf.Tensor; priorMean: tf.Tensor | null; priorLogVar: tf.Tensor | null }, count: number) => ({
    units: l.mean.shape[l.mean.shape.length - 1]!,
    mean: flat(l.mean, count),
    logVar: flat(l.logVar, count),
    priorMean: l.priorMean === null ? null : flat(l.priorMean, count),
    priorLogVar: l.priorLogVar === null ? null : flat(l.priorLogVar, count),
  });

  return {
    ir,
    epoch,
    async forward(x, count) {
      const out = tf.tidy(() => {
        const f = model.forward(input(x, count), { training: false, rng: forwardRng });
        return {
          reconstruction: flat(f.reconstruction, count),
          latent: flat(f.latent, count),
          gaussian: f.gaussian === null ? null : { mean: flat(f.gaussian.mean, count), logVar: flat(f.gaussian.logVar, count) },
          vqIndices: f.vq === null ? null : tf.reshape(f.vq.indices, [-1]),
          ladder: f.ladder?.levels.map((l) => levelOf(l, count)) ?? null,
        } as unknown as tf.TensorContainer;
      });
      return (await read(out)) as PortForward;
    },
    async forwardCorrupted(x, count, rng) {
      const c = ir.corruption;
      if (c === null) throw new Error(`internal: model '${ir.name}' has no corruption`);
      const apply = CORRUPTIONS[c.kind] as (x: tf.Tensor, c: Corruption, range: InputRange, rng: Rng) => Corrupted;
      const out = tf.tidy(() => {
        const corrupted = apply(input(x, count), c, ir.input.range, rng);
        const f = model.forward(corrupted.encoderInput, { training: false, rng: forwardRng });
        return {
          corrupted: flat(corrupted.encoderInput, count),
          reconstruction: flat(f.reconstruction, count),
          hidden: corrupted.hidden === null ? null : flat(corrupted.hidden, count),
        } as unknown as tf.TensorContainer;
      });
      return (await read(out)) as { corrupted: Float32Array; reconstruction: Float32Array; hidden: Float32Array | null };
    },
    priorShape: decoder.priorShape,
    async decodePrior(z, count) {
      const out = tf.tidy(() => flat(decoder.decode(tf.tensor(z, [count, ...decoder.priorShape], "float32"), decodeRun), count));
      return (await read(out)) as Float32Array;
    },
    async decodeLatent(z, count) {
      const out = tf.tidy(() => flat(model.decodeLatent(tf.tensor(z, [count, ...ir.bottleneck.latentShape], "float32"), decodeRun), count));
      return (await read(out)) as Float32Array;
    },
    async sampleLadder(x, count, rng) {
      const out = tf.tidy(() => {
        const f = model.forward(input(x, count), { training: false, sampleLatent: true, rng });
        if (f.ladder === null || f.ladder === undefined) throw new Error("internal: the ladder's importance samples need a ladder model");
        return {
          reconstruction: flat(f.reconstruction, count),
          levels: f.ladder.levels.map((l) => {
            if (l.latent === undefined) throw new Error("internal: a ladder level without its latent");
            return { ...levelOf(l, count), z: flat(l.latent, count) };
          }),
        } as unknown as tf.TensorContainer;
      });
      return (await read(out)) as LadderSample & { levels: (LadderLevelArrays & { z: Float32Array })[] };
    },
    dispose: () => model.dispose(),
  };
}
