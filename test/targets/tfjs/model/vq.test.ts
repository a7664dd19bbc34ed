import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { NamedVariable } from "../../../../targets/tfjs/model-api.js";
import { createModel, type TfjsModel } from "../../../../targets/tfjs/model/build.js";
import { VQ_SMOOTHING_EPSILON } from "../../../../targets/tfjs/model/vq.js";
import { stopGradient } from "../../../../targets/tfjs/ops/stop-gradient.js";
import { expectClose, irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const spec = (vq: string) => `model v {
  input: [3, 3, 2]
  encoder { conv(4, kernel: 2) relu }
  bottleneck: ${vq}
  decoder { dense(2) }
  loss { reconstruction(mse) commitment() }
}`;

const K = 6;
const D = 3;

function named(list: readonly NamedVariable[], name: string): tf.Variable {
  const v = list.find((n) => n.name === name);
  if (v === undefined) throw new Error(`no variable ${name} in ${list.map((n) => n.name).join(", ")}`);
  return v.variable;
}

/** Index of the nearest row of `codebook` [K, D] for each row of `z` [M, D], by brute force. */
function bruteNearest(z: number[], codebook: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < z.length / D; i++) {
    let best = -1;
    let bestDist = Infinity;
    for (let k = 0; k < K; k++) {
      let d = 0;
      for (let c = 0; c < D; c++) d += (z[i * D + c]! - codebook[k * D + c]!) ** 2;
      if (d < bestDist) [best, bestDist] = [k, d];
    }
    out.push(best);
  }
  return out;
}

function forwardValues(model: TfjsModel, x: tf.Tensor) {
  return tf.tidy(() => {
    const f = model.forward(x, { training: true, rng: seeded(1) });
    return {
      encoded: values(f.vq!.encoded),
      codes: values(f.vq!.codes),
      quantized: values(f.vq!.quantized),
      indices: Array.from(f.vq!.indices.dataSync()),
      shape: f.vq!.indices.shape,
    };
  });
}

describe("vq without ema (codebook learnt by gradient)", () => {
  it("puts the codebook among the trainable variables and picks the nearest codes", () => {
    const model = createModel(irOf(spec(`vq(codes: ${K}, dim: ${D})`)), seeded(3));
    expect(model.trainable.map((v) => v.name)).toContain("bottleneck.codebook");
    expect(model.state).toEqual([]);
    const x = randomTensor([4, 3, 3, 2], seeded(4));
    const f = forwardValues(model, x);
    expect(f.shape).toEqual([4, 3, 3]); // one code per latent position
    const codebook = values(named(model.trainable, "bottleneck.codebook"));
    expect(f.indices).toEqual(bruteNearest(f.encoded, codebook));
    expectClose(
      f.codes,
      f.indices.flatMap((k) => codebook.slice(k * D, k * D + D)),
      { atol: 0 },
    );
    expectClose(f.quantized, f.codes, { atol: 1e-6 });
    model.dispose();
  });

  it("gives the codebook a non-zero gradient from ||sg(z_e) - e||^2, and the encoder none", () => {
    const model = createModel(irOf(spec(`vq(codes: ${K}, dim: ${D})`)), seeded(3));
    const x = randomTensor([4, 3, 3, 2], seeded(4));
    const codebook = named(model.trainable, "bottleneck.codebook");
    const projection = named(model.trainable, "bottleneck.projection.kernel");
    const f = forwardValues(model, x);
    const { grads } = tf.variableGrads(() => {
      const out = model.forward(x, { training: true, rng: seeded(1) });
      return tf.sum(tf.square(tf.sub(stopGradient(out.vq!.encoded), out.vq!.codes))) as tf.Scalar;
    }, [codebook, projection]);
    // By hand: d/de_k = 2 sum over vectors assigned to k of (e_k - z_e).
    const cb = values(codebook);
    const want = new Array(K * D).fill(0);
    f.indices.forEach((k, i) => {
      for (let c = 0; c < D; c++) want[k * D + c] += 2 * (cb[k * D + c]! - f.encoded[i * D + c]!);
    });
    const got = values(grads[codebook.name]!);
    expect(got.some((g) => g !== 0)).toBe(true);
    expectClose(got, want, { atol: 1e-5, rtol: 1e-5 });
    expect(values(grads[projection.name]!).every((g) => g === 0)).toBe(true);
    tf.dispose(grads);
    model.dispose();
  });
});

describe("vq with ema", () => {
  it("keeps the codebook as state and applies one EMA update by the documented formula", () => {
    const decay = 0.8;
    const model = createModel(irOf(spec(`vq(codes: ${K}, dim: ${D}, ema: ${decay})`)), seeded(5));
    expect(model.trainable.map((v) => v.name)).not.toContain("bottleneck.codebook");
    expect(model.state.map((v) => v.name)).toEqual(["bottleneck.codebook", "bottleneck.ema_count", "bottleneck.ema_sum"]);
    const codebook = named(model.state, "bottleneck.codebook");
    const e0 = values(codebook);
    const x = randomTensor([4, 3, 3, 2], seeded(6));
    const f = forwardValues(model, x);
    tf.tidy(() => {
      model.forward(x, { training: true, rng: seeded(1) });
    });
    model.afterStep(null as never, seeded(2));

    // N_k starts at 1 and m_k at e_k; one step of decay d with n_k assigned vectors summing to s_k.
    const n = new Array(K).fill(0);
    const s = new Array(K * D).fill(0);
    f.indices.forEach((k, i) => {
      n[k]++;
      for (let c = 0; c < D; c++) s[k * D + c] += f.encoded[i * D + c]!;
    });
    const N = n.map((nk) => decay * 1 + (1 - decay) * nk);
    const m = e0.map((e, j) => decay * e + (1 - decay) * s[j]!);
    const total = N.reduce((a, b) => a + b, 0);
    const eps = VQ_SMOOTHING_EPSILON;
    const smoothed = N.map((Nk) => ((Nk + eps) / (total + K * eps)) * total);
    const want = m.map((mj, j) => mj / smoothed[Math.floor(j / D)]!);
    expect(n.filter((c) => c > 0).length).toBeGreaterThan(1);
    expectClose(values(named(model.state, "bottleneck.ema_count")), N, { atol: 1e-6, rtol: 1e-6 });
    expectClose(values(named(model.state, "bottleneck.ema_sum")), m, { atol: 1e-6, rtol: 1e-6 });
    expectClose(values(codebook), want, { atol: 1e-6, rtol: 1e-5 });
    model.dispose();
  });

  it("an evaluation forward leaves the next afterStep nothing to do", () => {
    const model = createModel(irOf(spec(`vq(codes: ${K}, dim: ${D}, ema: 0.8)`)), seeded(5));
    const before = values(named(model.state, "bottleneck.codebook"));
    const x = randomTensor([4, 3, 3, 2], seeded(6));
    tf.tidy(() => {
      model.forward(x, { training: false, rng: seeded(1) });
    });
    model.afterStep(null as never, seeded(2));
    expect(values(named(model.state, "bottleneck.codebook"))).toEqual(before);
    model.dispose();
  });
});

describe("dead-code restarts", () => {
  for (const [label, vq, usageName] of [
    ["ema", `vq(codes: ${K}, dim: ${D}, ema: 0.8, restart: true)`, "bottleneck.ema_count"],
    ["gradient", `vq(codes: ${K}, dim: ${D}, restart: true)`, "bottleneck.usage"],
  ] as const) {
    it(`re-seed codes whose usage fell below 1% of the mean from encoder outputs (${label})`, () => {
      const model = createModel(irOf(spec(vq)), seeded(7));
      const usage = named(model.state, usageName);
      const codebook = named([...model.trainable, ...model.state], "bottleneck.codebook");
      const x = randomTensor([1, 3, 3, 2], seeded(8));
      const f = forwardValues(model, x);
      // Codes this batch does not use, and whose usage had (almost) vanished, are dead.
      const dead = Array.from({ length: K }, (_, k) => k).filter((k) => !f.indices.includes(k));
      expect(dead.length).toBeGreaterThan(0);
      usage.assign(tf.tensor1d(Array.from({ length: K }, (_, k) => (dead.includes(k) ? (k % 2) * 1e-4 : 2 + k))));
      tf.tidy(() => {
        model.forward(x, { training: true, rng: seeded(1) });
      });
      const before = values(codebook);
      model.afterStep(null as never, seeded(9));
      const after = values(codebook);
      const rowsOfBatch = new Set(Array.from({ length: f.encoded.length / D }, (_, i) => f.encoded.slice(i * D, i * D + D).join(",")));
      const reseeded = new Set<string>();
      for (const k of dead) {
        const row = after.slice(k * D, k * D + D).join(",");
        expect(rowsOfBatch.has(row)).toBe(true);
        reseeded.add(row);
        expect(values(usage)[k]).toBe(1);
      }
      // Distinct encoder outputs while the batch has enough of them.
      expect(reseeded.size).toBe(Math.min(dead.length, rowsOfBatch.size));
      for (const k of Array.from({ length: K }, (_, i) => i).filter((i) => !dead.includes(i))) expect(values(usage)[k]).not.toBe(1);
      if (label === "gradient") {
        // The other codes are untouched (no EMA moves them).
        for (const k of Array.from({ length: K }, (_, i) => i).filter((i) => !dead.includes(i))) {
          expect(after.slice(k * D, k * D + D)).toEqual(before.slice(k * D, k * D + D));
        }
      }
      model.dispose();
    });
  }
});
