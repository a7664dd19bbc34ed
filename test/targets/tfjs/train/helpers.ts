/**
 * Test helpers: the cpu backend with gradients registered, a compiler of
 * spec snippets, and a small stand-in model (linear encoder and decoder)
 * that implements the model contract with plain tfjs ops, so the trainer is
 * tested apart from the real model builder.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { compile } from "../../../../src/compile.js";
import type { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import type { BuildModel, Forward, NamedVariable, TfModel } from "../../../../targets/tfjs/model-api.js";
import { registerGradients } from "../../../../targets/tfjs/ops/gradients/register.js";
import { straightThrough } from "../../../../targets/tfjs/ops/stop-gradient.js";

let ready: Promise<void> | null = null;

/** The cpu backend, quiet, with the target's gradients registered. */
export function useCpu(): Promise<void> {
  ready ??= (async () => {
    // The gradients the built command line registers (tfjs-core's Node build ships none).
    registerGradients();
    await tf.setBackend("cpu");
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false; // no "install tfjs-node" banner
  })();
  return ready;
}

/** Compiles a spec text and returns its only (or named) model's IR; throws on errors. */
export function irOf(text: string, overrides: readonly string[] = [], model?: string): IrModel {
  const c = compile(text, { file: "test.aespec", overrides, ...(model !== undefined ? { model } : {}) });
  if (!c.ok) throw new Error(`spec does not compile: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return model !== undefined ? c.models.find((m) => m.name === model)! : c.models[0]!;
}

export { tempDir } from "../../../support/temp-dir.js";

/** A small spec around a bottleneck and loss block, on generated low-rank data. */
export function spec(opts: { bottleneck?: string; loss?: string; train?: string; input?: string } = {}): string {
  return `model m {
  input: ${opts.input ?? "[6]"}
  bottleneck: ${opts.bottleneck ?? "deterministic(2)"}
  decoder {
    dense(6)
  }
  loss {
    ${opts.loss ?? "reconstruction(mse)"}
  }
  train {
    ${opts.train ?? "data: lowrank(dim: 6, rank: 2, count: 96)\n    optimizer: adam(lr: 1e-2)\n    batch: 16\n    epochs: 3\n    seed: 3"}
  }
}
`;
}

function initial(shape: number[], rng: Rng, scale: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal() * scale;
  return tf.tensor(v, shape);
}

/**
 * Linear encoder and decoder around the IR's bottleneck (deterministic,
 * gaussian or a vector vq), ignoring the IR's layers. A sigmoid ends the
 * decoder when a reconstruction term is bernoulli.
 */
export const standInModel: BuildModel = (ir: IrModel, rng: Rng): TfModel => {
  const features = ir.input.shape.reduce((a, b) => a * b, 1);
  const b = ir.bottleneck;
  const width = b.kind === "vq" ? b.dim : b.kind === "ladder" ? 1 : b.units;
  const make = (name: string, shape: number[], scale: number, trainable = true): NamedVariable => ({
    name,
    variable: tf.tidy(() => tf.variable(initial(shape, rng, scale), trainable)),
  });
  const trainable: NamedVariable[] = [make("encoder.kernel", [features, width], 0.3), make("encoder.bias", [width], 0)];
  if (b.kind === "gaussian") trainable.push(make("bottleneck.logvar.kernel", [features, width], 0.1), make("bottleneck.logvar.bias", [width], 0));
  const learnCodebook = b.kind === "vq" && b.ema === null;
  const codebook = b.kind === "vq" ? make("bottleneck.codebook", [b.codes, b.dim], 1, learnCodebook) : null;
  if (codebook !== null && learnCodebook) trainable.push(codebook);
  trainable.push(make("decoder.kernel", [width, features], 0.3), make("decoder.bias", [features], 0));
  const get = (n: string) => trainable.find((v) => v.name === n)!.variable;
  const state: NamedVariable[] = codebook !== null && !learnCodebook ? [codebook] : [];
  const bernoulli = ir.losses.some((t) => t.kind === "reconstruction" && t.likelihood === "bernoulli");

  const forward = (x: tf.Tensor, opts: { training: boolean; rng: Rng }): Forward => {
    const n = x.shape[0]!;
    const flat = tf.reshape(x, [n, features]);
    const encoded = tf.add(tf.matMul(flat, get("encoder.kernel")), get("encoder.bias"));
    let latent: tf.Tensor = encoded;
    let gaussian: Forward["gaussian"] = null;
    let vq: Forward["vq"] = null;
    if (b.kind === "gaussian") {
      const logVar = tf.add(tf.matMul(flat, get("bottleneck.logvar.kernel")), get("bottleneck.logvar.bias"));
      gaussian = { mean: encoded, logVar };
      if (opts.training) {
        const eps = initial([n, width], opts.rng, 1);
        latent = tf.add(encoded, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
      }
    } else if (b.kind === "vq") {
      const c = codebook!.variable;
      const dist = tf.add(
        tf.sub(tf.sum(tf.square(encoded), 1, true), tf.mul(2, tf.matMul(encoded, c, false, true))),
        tf.reshape(tf.sum(tf.square(c), 1), [1, -1]),
      );
      // The nearest code, found on the CPU: indices carry no gradient anyway.
      const d = dist.dataSync();
      const nearest = new Int32Array(n);
      const oneHot = new Float32Array(n * b.codes);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < b.codes; k++) if (d[i * b.codes + k]! < d[i * b.codes + best]!) best = k;
        nearest[i] = best;
        oneHot[i * b.codes + best] = 1;
      }
      const indices = tf.tensor1d(nearest, "int32");
      const codes = tf.matMul(tf.tensor2d(oneHot, [n, b.codes]), c);
      const quantized = straightThrough(codes, encoded);
      vq = { encoded, quantized, codes, indices };
      latent = quantized;
    }
    return { input: x, encoderInput: x, latent, reconstruction: decodeLatent(latent), gaussian, vq };
  };
  const decodeLatent = (z: tf.Tensor): tf.Tensor => {
    const out = tf.add(tf.matMul(z as tf.Tensor2D, get("decoder.kernel")), get("decoder.bias"));
    return tf.reshape(bernoulli ? tf.sigmoid(out) : out, [z.shape[0]!, ...ir.input.shape]);
  };
  return {
    ir,
    trainable,
    state,
    forward,
    decodeLatent,
    afterStep: () => {},
    dispose: () => [...trainable, ...state].forEach((v) => v.variable.dispose()),
  };
};
