/**
 * The ladder bottleneck against docs/ladder-vae.md, computed again
 * here in float64 from the model's own weights with the document's formulas
 * (the precision form of the merge, not the model's stable form).
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Rng } from "../../../../src/data/rng.js";
import { createModel, type TfjsModel } from "../../../../targets/tfjs/model/build.js";
import { mergeGaussians } from "../../../../targets/tfjs/model/ladder.js";
import { expectClose, irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const INPUT = 5;
const ladderSpec = (units: readonly number[], skip: boolean) => `model l {
  input: [${INPUT}]
  bottleneck: ladder(skip: ${skip}) { ${units.map((u) => `gaussian(${u})`).join(" ")} }
  decoder { dense(${INPUT}) }
  loss { reconstruction(mse) kl() }
}`;

type Rows = number[][];

const rowsOf = (t: tf.Tensor): Rows => {
  const [n, k] = t.shape as [number, number];
  const v = t.dataSync();
  return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * k, (i + 1) * k)));
};

/** Float64 reference of the model, reading its variables by name. */
class Reference {
  constructor(
    private readonly model: TfjsModel,
    private readonly units: readonly number[],
    private readonly skip: boolean,
  ) {}

  private weight(name: string): { data: Float32Array; shape: number[] } {
    const v = this.model.trainable.find((w) => w.name === name);
    if (v === undefined) throw new Error(`no variable ${name}`);
    return { data: v.variable.dataSync() as Float32Array, shape: v.variable.shape };
  }

  dense(x: Rows, name: string): Rows {
    const k = this.weight(`${name}.kernel`);
    const b = this.weight(`${name}.bias`).data;
    const [inF, outF] = k.shape as [number, number];
    return x.map((row) => {
      expect(row.length).toBe(inF);
      return Array.from({ length: outF }, (_, j) => row.reduce((s, v, i) => s + v * k.data[i * outF + j]!, b[j]!));
    });
  }

  private static elu = (x: Rows) => x.map((r) => r.map((v) => (v > 0 ? v : Math.exp(v) - 1)));

  private state(i: number, z: Rows, t: Rows | null): Rows {
    const input = this.skip && t !== null ? z.map((r, n) => [...r, ...t[n]!]) : z;
    return Reference.elu(this.dense(input, `bottleneck.level${i}.down`));
  }

  /** Every level's merged posterior and prior, and z_0; eps drawn top first from `rng` when training. */
  forward(h: Rows, training: boolean, rng: Rng) {
    const L = this.units.length;
    const top = L - 1;
    let d = h;
    const q = this.units.map((_, i) => {
      d = Reference.elu(this.dense(d, `bottleneck.level${i}.up`));
      return { mean: this.dense(d, `bottleneck.level${i}.q_mean`), logVar: this.dense(d, `bottleneck.level${i}.q_logvar`) };
    });
    const sample = (mean: Rows, logVar: Rows) => {
      if (!training) return mean;
      return mean.map((r, n) => r.map((m, j) => m + Math.exp(logVar[n]![j]! / 2) * rng.normal()));
    };
    const levels: { mean: Rows; logVar: Rows; priorMean: Rows | null; priorLogVar: Rows | null }[] = new Array(L);
    levels[top] = { ...q[top]!, priorMean: null, priorLogVar: null };
    let z = sample(q[top]!.mean, q[top]!.logVar);
    let t: Rows | null = null;
    for (let i = top - 1; i >= 0; i--) {
      t = this.state(i, z, t);
      const pm = this.dense(t, `bottleneck.level${i}.p_mean`);
      const plv = this.dense(t, `bottleneck.level${i}.p_logvar`);
      const mean: Rows = [];
      const logVar: Rows = [];
      q[i]!.mean.forEach((r, n) => {
        mean.push([]);
        logVar.push([]);
        r.forEach((mq, j) => {
          const precQ = Math.exp(-q[i]!.logVar[n]![j]!);
          const precP = Math.exp(-plv[n]![j]!);
          const variance = 1 / (precQ + precP);
          mean[n]!.push((mq * precQ + pm[n]![j]! * precP) * variance);
          logVar[n]!.push(-Math.log(precQ + precP));
        });
      });
      levels[i] = { mean, logVar, priorMean: pm, priorLogVar: plv };
      z = sample(mean, logVar);
    }
    return { levels, z0: z };
  }

  /** Decode from the top: the top-down path on prior means. */
  fromTop(zTop: Rows): Rows {
    let z = zTop;
    let t: Rows | null = null;
    for (let i = this.units.length - 2; i >= 0; i--) {
      t = this.state(i, z, t);
      z = this.dense(t, `bottleneck.level${i}.p_mean`);
    }
    return this.dense(z, "decoder.0");
  }
}

const flat = (r: Rows) => r.flat();

describe("the precision-weighted merge", () => {
  it("matches the hand computation: N(1, 4) and N(3, 1) merge to N(2.6, 0.8)", () => {
    const out = tf.tidy(() => {
      const m = mergeGaussians(tf.tensor1d([1]), tf.tensor1d([Math.log(4)]), tf.tensor1d([3]), tf.tensor1d([0]));
      return [values(m.mean)[0]!, values(m.logVar)[0]!];
    });
    // precisions 1/4 + 1 = 1.25, variance 0.8; mean (1 / 4 + 3 / 1) * 0.8 = 2.6
    expectClose(out, [2.6, Math.log(0.8)], { atol: 1e-6 });
  });

  it("is symmetric, and two equal Gaussians merge to the same mean and half the variance", () => {
    const out = tf.tidy(() => {
      const a = mergeGaussians(tf.tensor1d([0.5, -1]), tf.tensor1d([0.3, 1.2]), tf.tensor1d([0.5, 2]), tf.tensor1d([0.3, -0.7]));
      const b = mergeGaussians(tf.tensor1d([0.5, 2]), tf.tensor1d([0.3, -0.7]), tf.tensor1d([0.5, -1]), tf.tensor1d([0.3, 1.2]));
      return { a: [...values(a.mean), ...values(a.logVar)], b: [...values(b.mean), ...values(b.logVar)] };
    });
    expectClose(out.a, out.b, { atol: 1e-6 });
    expectClose([out.a[0]!, out.a[2]!], [0.5, 0.3 - Math.log(2)], { atol: 1e-6 });
  });

  it("stays finite where 1 / variance overflows float32, following the sharper Gaussian", () => {
    const out = tf.tidy(() => {
      const m = mergeGaussians(tf.tensor1d([1.5, 7]), tf.tensor1d([-120, 0]), tf.tensor1d([-2, -4]), tf.tensor1d([0, -150]));
      return [...values(m.mean), ...values(m.logVar)];
    });
    expectClose(out, [1.5, -4, -120, -150], { atol: 1e-4 });
  });
});

describe("the ladder bottleneck", () => {
  for (const units of [
    [4, 3],
    [4, 3, 2],
  ] as const) {
    for (const skip of [true, false]) {
      const name = `${units.length} levels, skip ${skip}`;

      it(`${name}: variables named, shaped and drawn in the documented order`, () => {
        const model = createModel(irOf(ladderSpec(units, skip)), seeded(1));
        const top = units.length - 1;
        const expected: [string, number[]][] = [];
        units.forEach((u, i) => {
          expected.push([`bottleneck.level${i}.up`, [i === 0 ? INPUT : 2 * units[i - 1]!, 2 * u]]);
          expected.push([`bottleneck.level${i}.q_mean`, [2 * u, u]], [`bottleneck.level${i}.q_logvar`, [2 * u, u]]);
        });
        for (let i = top - 1; i >= 0; i--) {
          const above = units[i + 1]! + (skip && i + 1 < top ? 2 * units[i + 1]! : 0);
          expected.push([`bottleneck.level${i}.down`, [above, 2 * units[i]!]]);
          expected.push([`bottleneck.level${i}.p_mean`, [2 * units[i]!, units[i]!]], [`bottleneck.level${i}.p_logvar`, [2 * units[i]!, units[i]!]]);
        }
        expected.push(["decoder.0", [units[0]!, INPUT]]);
        expect(model.trainable.map((v) => v.name)).toEqual(expected.flatMap(([n]) => [`${n}.kernel`, `${n}.bias`]));
        // The same Rng replayed, under the default init (torch): each kernel, then its bias, U(+-1/sqrt(fan_in)).
        const rng = seeded(1);
        for (const [n, [fanIn, fanOut]] of expected) {
          const limit = 1 / Math.sqrt(fanIn!);
          const want = Array.from({ length: fanIn! * fanOut! }, () => (2 * rng.next() - 1) * limit);
          const wantBias = Array.from({ length: fanOut! }, () => (2 * rng.next() - 1) * limit);
          const kernel = model.trainable.find((v) => v.name === `${n}.kernel`)!.variable;
          expect(kernel.shape, n).toEqual([fanIn, fanOut]);
          expectClose(values(kernel), want, { atol: 1e-7, rtol: 1e-6 });
          expectClose(values(model.trainable.find((v) => v.name === `${n}.bias`)!.variable), wantBias, { atol: 1e-7, rtol: 1e-6 });
        }
        model.dispose();
      });

      it(`${name}: forward in training and evaluation matches the document computed in float64`, () => {
        const model = createModel(irOf(ladderSpec(units, skip)), seeded(2));
        // Non-zero biases, so a bias read in the wrong place shows.
        for (const v of model.trainable)
          if (v.name.endsWith(".bias")) v.variable.assign(tf.tidy(() => randomTensor(v.variable.shape, seeded(v.name.length), 0.3)));
        const ref = new Reference(model, units, skip);
        const x = randomTensor([3, INPUT], seeded(3), 2);
        for (const training of [true, false]) {
          const want = ref.forward(rowsOf(x), training, seeded(4));
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const f = model.forward(x, { training, rng: seeded(4) });
            expect(f.gaussian).toBeNull();
            const levels = f.ladder!.levels;
            expect(levels).toHaveLength(units.length);
            levels.forEach((l, i) => {
              const w = want.levels[i]!;
              expect(l.mean.shape).toEqual([3, units[i]]);
              expectClose(values(l.mean), flat(w.mean), { atol: 1e-5, rtol: 1e-4 });
              expectClose(values(l.logVar), flat(w.logVar), { atol: 1e-5, rtol: 1e-4 });
              expect(l.priorMean === null, `level ${i} prior`).toBe(i === units.length - 1);
              if (w.priorMean !== null) {
                expectClose(values(l.priorMean!), flat(w.priorMean), { atol: 1e-5, rtol: 1e-4 });
                expectClose(values(l.priorLogVar!), flat(w.priorLogVar!), { atol: 1e-5, rtol: 1e-4 });
              }
            });
            expect(f.latent.shape).toEqual([3, units[0]]);
            expectClose(values(f.latent), flat(want.z0), { atol: 1e-5, rtol: 1e-4 });
            if (!training) expect(values(f.latent)).toEqual(values(levels[0]!.mean));
            expect(f.reconstruction.shape).toEqual([3, INPUT]);
          });
          expect(tf.memory().numTensors).toBe(before);
        }
        x.dispose();
        model.dispose();
      });

      it(`${name}: decode runs the top-down path on prior means from the top level`, () => {
        const model = createModel(irOf(ladderSpec(units, skip)), seeded(5));
        const top = units[units.length - 1]!;
        expect(model.priorShape).toEqual([top]);
        const z = randomTensor([4, top], seeded(6), 1.5);
        const out = tf.tidy(() => values(model.decode(z, { training: false, rng: seeded(7) })));
        expectClose(out, flat(new Reference(model, units, skip).fromTop(rowsOf(z))), { atol: 1e-5, rtol: 1e-4 });
        expect(() => tf.tidy(() => model.decode(tf.zeros([4, units[0]!]), { training: false, rng: seeded(7) }))).toThrow(
          /decodes \[batch, 2\]|decodes \[batch, 3\]/,
        );
        z.dispose();
        model.dispose();
      });
    }
  }

  it("skip changes what level 0 reads (the comparison above can fail)", () => {
    const a = createModel(irOf(ladderSpec([4, 3, 2], true)), seeded(2));
    const b = createModel(irOf(ladderSpec([4, 3, 2], false)), seeded(2));
    const kernel = (m: TfjsModel) => m.trainable.find((v) => v.name === "bottleneck.level0.down.kernel")!.variable.shape;
    expect(kernel(a)).toEqual([3 + 6, 8]);
    expect(kernel(b)).toEqual([3, 8]);
    a.dispose();
    b.dispose();
  });
});

describe("decode on other bottlenecks", () => {
  it("is the decoder on the latent: a VAE's decode of its posterior mean is its evaluation reconstruction", () => {
    const model = createModel(
      irOf(`model g {
  input: [4]
  encoder { dense(5) tanh }
  bottleneck: gaussian(3)
  decoder { dense(6) relu dense(4) }
  loss { reconstruction(mse) kl() }
}`),
      seeded(1),
    );
    expect(model.priorShape).toEqual([3]);
    const x = randomTensor([5, 4], seeded(2));
    tf.tidy(() => {
      const f = model.forward(x, { training: false, rng: seeded(3) });
      expect(values(model.decode(f.gaussian!.mean, { training: false, rng: seeded(3) }))).toEqual(values(f.reconstruction));
    });
    x.dispose();
    model.dispose();
  });
});
