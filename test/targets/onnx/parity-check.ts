/**
 * The parity check shared by the ONNX tests: export every part of a model
 * with the tfjs model's own weights, run them in onnxruntime-node on batches
 * of 1, 7 and 32, and compare with tfjs in evaluation mode:
 * |a - b| <= 1e-5 + 1e-3 |b|, VQ indices exactly equal.
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
  const exported = Object.fromEntries(PARTS.map((p) => {
    const r = exportModel(ir, weights, p);
    if (!r.ok) throw new Error(r.diagnostic.message);
    return [p, r.value];
  })) as Record<Part, Uint8Array>;
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
    } else {
      expectAgree(`${ir.name} latent`, enc["latent"]!.data as Float32Array, ref.latent, worst);
    }
    const dec = await runOnnx(exported.decoder, { latent: { data: ref.latent as Float32Array, dims: [n, ...ir.bottleneck.latentShape] } });
    expectAgree(`${ir.name} decoder batch ${n}`, dec["reconstruction"]!.data as Float32Array, ref.reconstruction, worst);
  }
  model.dispose();
  const maxAbs = Math.max(...worst.a.map((w) => w.maxAbs));
  const maxRel = Math.max(...worst.a.map((w) => w.maxRel));
  return { maxAbs, maxRel };
}

