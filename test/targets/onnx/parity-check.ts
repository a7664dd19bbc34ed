/**
 * The parity check shared by the ONNX tests: export every part of a model
 * with the tfjs model's own weights, run them in onnxruntime-node on batches
 * of 1, 7 and 32, and compare with tfjs in evaluation mode:
 * |a - b| <= 1e-5 + 1e-3 |b|, VQ indices exactly equal. A ladder's encoder
 * is checked level by level, and its decoder part (which reads the top
 * level) against the tfjs model's decode from the top.
 */
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { Rng } from "../../../src/data/rng.js";
import type { IrModel } from "../../../src/ir/model.js";
import { exportModel, PARTS, type Part } from "../../../targets/onnx/export-model.js";
import { agreement, randomInput, runOnnx, tfjsModel, weightsOf, type Agreement } from "./helpers.js";

const BATCHES = [1, 7, 32];

function expectAgree(what: string, a: ArrayLike<number>, b: ArrayLike<number>, worst: { a: Agreement[] }): void {
  const r = agreement(a, b);
  worst.a.push(r);
  expect(r.bad, `${what}: max abs ${r.maxAbs}, max rel ${r.maxRel}`).toBe(0);
}

/** The worst errors over all outputs and batches; fails the test on any disagreement. */
export async function checkParity(ir: IrModel, seed: number): Promise<{ maxAbs: number; maxRel: number }> {
  const model = tfjsModel(ir, seed);
  const weights = weightsOf(model);
  const exported = Object.fromEntries(
    PARTS.map((p) => {
      const r = exportModel(ir, weights, p);
      if (!r.ok) throw new Error(r.diagnostic.message);
      return [p, r.value];
    }),
  ) as Record<Part, Uint8Array>;
  const worst = { a: [] as Agreement[] };
  const rng = new Rng(seed, "onnx-input");
  for (const n of BATCHES) {
    const x = randomInput([n, ...ir.input.shape], rng);
    const dims = [n, ...ir.input.shape];
    const ref = tf.tidy(() => {
      const f = model.forward(tf.tensor(x, dims), { training: false, rng });
      return {
        reconstruction: f.reconstruction.dataSync().slice(),
        latent: f.latent.dataSync().slice(),
        mean: f.gaussian?.mean.dataSync().slice(),
        logvar: f.gaussian?.logVar.dataSync().slice(),
        indices: f.vq?.indices.dataSync().slice(),
        codes: f.vq?.codes.dataSync().slice(),
        levels: f.ladder?.levels.map((l) => ({ mean: l.mean.dataSync().slice(), logVar: l.logVar.dataSync().slice() })),
      };
    });
    const auto = await runOnnx(exported.autoencoder, { input: { data: x, dims } });
    expectAgree(`${ir.name} autoencoder batch ${n}`, auto["reconstruction"]!.data as Float32Array, ref.reconstruction, worst);
    const enc = await runOnnx(exported.encoder, { input: { data: x, dims } });
    if (ir.bottleneck.kind === "gaussian") {
      expectAgree(`${ir.name} mean`, enc["mean"]!.data as Float32Array, ref.mean!, worst);
      expectAgree(`${ir.name} logvar`, enc["logvar"]!.data as Float32Array, ref.logvar!, worst);
    } else if (ir.bottleneck.kind === "vq") {
      const got = enc["indices"]!;
      expect(got.type).toBe("int64");
      expect(Array.from(got.data as BigInt64Array, Number)).toEqual(Array.from(ref.indices!));
      expectAgree(`${ir.name} quantized`, enc["quantized"]!.data as Float32Array, ref.codes!, worst);
    } else if (ir.bottleneck.kind === "ladder") {
      const levels = ref.levels!;
      expect(levels.length).toBe(ir.bottleneck.levels.length);
      levels.forEach((l, i) => {
        expectAgree(`${ir.name} level${i}_mean batch ${n}`, enc[`level${i}_mean`]!.data as Float32Array, l.mean, worst);
        expectAgree(`${ir.name} level${i}_logvar batch ${n}`, enc[`level${i}_logvar`]!.data as Float32Array, l.logVar, worst);
      });
      expectAgree(`${ir.name} latent batch ${n}`, enc["latent"]!.data as Float32Array, ref.latent, worst);
    } else {
      expectAgree(`${ir.name} latent`, enc["latent"]!.data as Float32Array, ref.latent, worst);
    }
    if (ir.bottleneck.kind === "ladder") {
      // Decode from the top: a code of the top level (here its posterior mean), against tfjs's decode.
      const top = ref.levels![ref.levels!.length - 1]!.mean as Float32Array;
      const topDims = [n, ...model.priorShape];
      const decoded = tf.tidy(() => model.decode(tf.tensor(top, topDims), { training: false, rng }).dataSync().slice());
      const dec = await runOnnx(exported.decoder, { latent: { data: top, dims: topDims } });
      expectAgree(`${ir.name} decoder (from the top) batch ${n}`, dec["reconstruction"]!.data as Float32Array, decoded, worst);
    } else {
      const dec = await runOnnx(exported.decoder, { latent: { data: ref.latent as Float32Array, dims: [n, ...ir.bottleneck.latentShape] } });
      expectAgree(`${ir.name} decoder batch ${n}`, dec["reconstruction"]!.data as Float32Array, ref.reconstruction, worst);
    }
  }
  model.dispose();
  const maxAbs = Math.max(...worst.a.map((w) => w.maxAbs));
  const maxRel = Math.max(...worst.a.map((w) => w.maxRel));
  return { maxAbs, maxRel };
}
