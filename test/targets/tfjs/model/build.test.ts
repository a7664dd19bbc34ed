import * as tf from "@tensorflow/tfjs-core";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../../src/compile.js";
import { buildModel, createModel } from "../../../../targets/tfjs/model/build.js";
import { unsupportedFeatures, UnsupportedError } from "../../../../targets/tfjs/model/support.js";
import { irOf, randomTensor, seeded, useBackend, values } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const specModels = (file: string) => compile(readFileSync(`specs/${file}`, "utf8"), { file: `specs/${file}` }).models;

describe("variables", () => {
  it("have stable, unique names in a fixed order", () => {
    const ir = specModels("vqvae.aespec")[0]!;
    const model = createModel(ir, seeded(1));
    expect(model.trainable.map((v) => v.name)).toEqual([
      "encoder.0.kernel",
      "encoder.0.bias",
      "encoder.2.kernel",
      "encoder.2.bias",
      "bottleneck.projection.kernel",
      "bottleneck.projection.bias",
      "decoder.0.kernel",
      "decoder.0.bias",
      "decoder.2.kernel",
      "decoder.2.bias",
    ]);
    expect(model.state.map((v) => v.name)).toEqual(["bottleneck.codebook", "bottleneck.ema_count", "bottleneck.ema_sum"]);
    // Two models coexist: tfjs's own variable names never clash.
    const again = createModel(ir, seeded(1));
    expect(again.trainable.map((v) => v.name)).toEqual(model.trainable.map((v) => v.name));
    model.dispose();
    again.dispose();
  });

  it("count the IR's parameters (an EMA codebook counts, as the IR counts it)", () => {
    for (const file of ["linear.aespec", "deep.aespec", "vae.aespec", "vqvae.aespec"]) {
      for (const ir of specModels(file)) {
        if (unsupportedFeatures(ir).length > 0 || ir.losses.some((l) => l.kind === "adversarial")) continue;
        const model = createModel(ir, seeded(1));
        const size = (name: string) => model.state.find((v) => v.name === name)?.variable.size ?? 0;
        const trainable = model.trainable.reduce((n, v) => n + v.variable.size, 0);
        expect(trainable + size("bottleneck.codebook"), `${file} ${ir.name}`).toBe(ir.totals.parameters);
        model.dispose();
      }
    }
  });

  it("holds batchnorm's scale and offset as trainable, its moving statistics as state", () => {
    const model = createModel(
      irOf(`model b {
  input: [4]
  encoder { dense(3) batchnorm layernorm }
  bottleneck: gaussian(2)
  decoder { dense(4) }
  loss { reconstruction(mse) kl() }
}`),
      seeded(1),
    );
    expect(model.trainable.map((v) => v.name)).toEqual([
      "encoder.0.kernel",
      "encoder.0.bias",
      "encoder.1.gamma",
      "encoder.1.beta",
      "encoder.2.gamma",
      "encoder.2.beta",
      "bottleneck.mean.kernel",
      "bottleneck.mean.bias",
      "bottleneck.logvar.kernel",
      "bottleneck.logvar.bias",
      "decoder.0.kernel",
      "decoder.0.bias",
    ]);
    expect(model.state.map((v) => v.name)).toEqual(["encoder.1.moving_mean", "encoder.1.moving_variance"]);
    expect(model.state.reduce((n, v) => n + v.variable.size, 0)).toBe(model.ir.totals.state);
    model.dispose();
  });
});

describe("initialisation", () => {
  const ir = () =>
    irOf(`model i {
  input: [400]
  encoder { dense(300) relu dense(300) leaky_relu(alpha: 0.5) dense(300) sigmoid }
  bottleneck: deterministic(10)
  decoder { dense(400) }
  loss { reconstruction(mse) }
}`);

  it("is reproducible from the seed", () => {
    const a = createModel(ir(), seeded(7));
    const b = createModel(ir(), seeded(7));
    const c = createModel(ir(), seeded(8));
    expect(values(a.trainable[0]!.variable)).toEqual(values(b.trainable[0]!.variable));
    expect(values(a.trainable[0]!.variable)).not.toEqual(values(c.trainable[0]!.variable));
    [a, b, c].forEach((m) => m.dispose());
  });

  /**
   * Uniform in +-limit: no |w| above the limit, the largest near it, the variance limit^2 / 3. How
   * near depends on the count: the largest of n is below (1 - q) limit with probability (1 - q)^n.
   */
  function expectUniform(w: number[], limit: number, name: string): void {
    const max = Math.max(...w.map(Math.abs));
    expect(max, name).toBeLessThanOrEqual(limit);
    expect(max, name).toBeGreaterThan((w.length >= 1000 ? 0.99 : w.length >= 200 ? 0.95 : 0.5) * limit);
    if (w.length < 200) return;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.abs(variance / ((limit * limit) / 3) - 1), name).toBeLessThan(w.length >= 1000 ? 0.05 : 0.15);
  }

  // Each weight of `ir()` and of a conv / deconv model: [name, fan_in, fan_out, PyTorch's fan_in, the activation after it].
  const conv = () =>
    irOf(`model c {
  input: [12, 12, 8]
  encoder { conv(48, kernel: 3, stride: 2) relu flatten }
  bottleneck: deterministic(16)
  decoder { dense(1728) relu reshape([6, 6, 48]) deconv(8, kernel: 4, stride: 2) }
  loss { reconstruction(mse) }
}`);
  type Row = [name: string, fanIn: number, fanOut: number, torchFanIn: number, next: "relu" | "leaky" | "other", bias: number];
  const dense: Row[] = [
    ["encoder.0", 400, 300, 400, "relu", 300],
    ["encoder.2", 300, 300, 300, "leaky", 300],
    ["encoder.4", 300, 300, 300, "other", 300],
    ["bottleneck", 300, 10, 300, "other", 10],
    ["decoder.0", 10, 400, 10, "other", 400],
  ];
  const convRows: Row[] = [
    ["encoder.0", 9 * 8, 9 * 48, 9 * 8, "relu", 48],
    ["bottleneck", 1728, 16, 1728, "other", 16],
    ["decoder.0", 16, 1728, 16, "relu", 1728],
    // deconv(8, kernel 4, stride 2) of 48 channels: each output sums ceil(4/2)^2 = 4 positions; PyTorch takes out channels x k^2 = 8 x 16.
    ["decoder.3", 4 * 48, 4 * 8, 8 * 16, "other", 8],
  ];
  /** The definitions of docs/language.md, "Initialisation", written out apart from the code. */
  const LIMITS = {
    torch: (r: Row) => ({ kernel: 1 / Math.sqrt(r[3]), bias: 1 / Math.sqrt(r[3]) }),
    he: (r: Row) => ({
      kernel: r[4] === "relu" ? Math.sqrt(6 / r[1]) : r[4] === "leaky" ? Math.sqrt(6 / (1.25 * r[1])) : Math.sqrt(6 / (r[1] + r[2])),
      bias: 0,
    }),
    glorot: (r: Row) => ({ kernel: Math.sqrt(6 / (r[1] + r[2])), bias: 0 }),
  } as const;

  for (const scheme of ["torch", "he", "glorot"] as const) {
    it(`init: ${scheme} draws every kernel and bias as its definition says (dense, conv, deconv, heads)`, () => {
      for (const [spec, rows] of [
        [ir, dense],
        [conv, convRows],
      ] as const) {
        const base = spec();
        const m = createModel({ ...base, train: { ...base.train, init: scheme } }, seeded(7));
        const byName = (n: string) => values(m.trainable.find((v) => v.name === n)!.variable);
        for (const r of rows) {
          const limits = LIMITS[scheme](r);
          expectUniform(byName(`${r[0]}.kernel`), limits.kernel, `${scheme} ${r[0]}.kernel`);
          const bias = byName(`${r[0]}.bias`);
          expect(bias, r[0]).toHaveLength(r[5]);
          if (limits.bias === 0)
            expect(
              bias.every((v) => v === 0),
              `${scheme} ${r[0]}.bias`,
            ).toBe(true);
          else expectUniform(bias, limits.bias, `${scheme} ${r[0]}.bias`);
        }
        m.dispose();
      }
    });
  }

  it("the default is torch, and a spec chooses another with train { init: ... }", () => {
    expect(ir().train.init).toBe("torch");
    expect(
      irOf(`model g { input: [4] bottleneck: deterministic(2) decoder { dense(4) } loss { reconstruction(mse) } train { init: glorot } }`).train.init,
    ).toBe("glorot");
  });
});

describe("unsupported parts", () => {
  it("none left: the ladder bottleneck is built (its variables named as docs/ladder-vae.md says)", () => {
    const ladder = specModels("vae.aespec").find((m) => m.name === "ladder_vae")!;
    expect(unsupportedFeatures(ladder)).toEqual([]);
    const model = buildModel(ladder, seeded(1));
    expect(model.trainable.map((v) => v.name).filter((n) => n.startsWith("bottleneck.level2."))).toEqual([
      "bottleneck.level2.up.kernel",
      "bottleneck.level2.up.bias",
      "bottleneck.level2.q_mean.kernel",
      "bottleneck.level2.q_mean.bias",
      "bottleneck.level2.q_logvar.kernel",
      "bottleneck.level2.q_logvar.bias",
    ]);
    model.dispose();
    expect(new UnsupportedError([{ feature: "x", message: "x is missing", span: ladder.span }]).message).toBe("x is missing");
  });
});

describe("forward", () => {
  it("returns the input, the corrupted input, the latent and a reconstruction shaped like the input", () => {
    const ir = specModels("deep.aespec").find((m) => m.name === "denoising")!;
    const model = createModel(ir, seeded(1));
    const x = tf.clipByValue(randomTensor([3, 28, 28, 1], seeded(2)), 0, 1);
    tf.tidy(() => {
      const f = model.forward(x, { training: true, rng: seeded(3) });
      expect(f.input).toBe(x);
      expect(f.encoderInput).not.toBe(x);
      expect(f.latent.shape).toEqual([3, 32]);
      expect(f.reconstruction.shape).toEqual([3, 28, 28, 1]);
      expect(f.gaussian).toBeNull();
      expect(f.vq).toBeNull();
      const e = model.forward(x, { training: false, rng: seeded(3) });
      expect(e.encoderInput).toBe(x);
    });
    expect(() => model.forward(tf.zeros([3, 784]), { training: false, rng: seeded(3) })).toThrow(/internal/);
    model.dispose();
  });
});
