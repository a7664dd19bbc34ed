/**
 * The ladder's ONNX lowering against a float64 reference written from the
 * semantics document (ladder-reference.ts), independently of the tfjs
 * target (parity.test.ts checks that one): every level's posterior, the
 * decoder part from the top level, the autoencoder, and a merge with
 * log-variances whose exponentials overflow float32.
 */
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile.js";
import { Rng } from "../../../src/data/rng.js";
import type { Ladder } from "../../../src/ir/bottleneck.js";
import type { IrModel } from "../../../src/ir/model.js";
import { exportModel, type Part } from "../../../targets/onnx/export-model.js";
import type { Weights } from "../../../targets/onnx/weights.js";
import { irOf } from "../tfjs/ops/tf-helpers.js";
import { agreement, runOnnx } from "./helpers.js";
import { denseDecoder, flat, ladderFromTop, ladderPosterior, randomLadderWeights, toRows } from "./ladder-reference.js";

const ladderSpec = (bottleneck: string) => `model m {
  input: [5]
  bottleneck: ${bottleneck}
  decoder { dense(6) dense(5) }
  loss { reconstruction(mse) kl() }
}`;

const CASES = [
  { name: "four levels with skip", bottleneck: "ladder(skip: true) { gaussian(4) gaussian(3) gaussian(3) gaussian(2) }" },
  { name: "three levels without skip", bottleneck: "ladder(skip: false) { gaussian(3) gaussian(2) gaussian(2) }" },
  { name: "one level", bottleneck: "ladder(skip: true) { gaussian(3) }" },
];

function exported(ir: IrModel, weights: Weights, part: Part): Uint8Array {
  const r = exportModel(ir, weights, part);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.value;
}

let worstAbs = 0;
afterAll(() => console.log(`ladder export vs the float64 reference: max abs error ${worstAbs.toExponential(2)}`));

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  const a = agreement(got, want);
  expect(a.bad, `${what}: max abs ${a.maxAbs}`).toBe(0);
  worstAbs = Math.max(worstAbs, a.maxAbs);
}

const input = (n: number, width: number, seed: number) => {
  const rng = new Rng(seed, "ladder-input");
  return Float32Array.from({ length: n * width }, () => 2 * rng.next() - 1);
};

describe("the ladder's ONNX export against the document's formulas", () => {
  for (const c of CASES) {
    it(`${c.name}: every level, the decoder from the top, the autoencoder`, async () => {
      const ir = irOf(ladderSpec(c.bottleneck));
      const b = ir.bottleneck as Ladder;
      const L = b.levels.length;
      const topUnits = b.levels[L - 1]!.units;
      const weights = randomLadderWeights(ir, 7);
      const n = 9;
      const x = input(n, 5, 1);
      const posterior = ladderPosterior(weights, b, toRows(x, 5));

      const enc = await runOnnx(exported(ir, weights, "encoder"), { input: { data: x, dims: [n, 5] } });
      const names = [...Array.from({ length: L }, (_, i) => [`level${i}_mean`, `level${i}_logvar`]).flat(), "latent"];
      expect(Object.keys(enc).sort()).toEqual([...names].sort());
      posterior.forEach((l, i) => {
        expect(enc[`level${i}_mean`]!.dims).toEqual([n, b.levels[i]!.units]);
        expectClose(`level${i}_mean`, enc[`level${i}_mean`]!.data as Float32Array, flat(l.mean));
        expectClose(`level${i}_logvar`, enc[`level${i}_logvar`]!.data as Float32Array, flat(l.logVar));
      });
      expect(Array.from(enc["latent"]!.data as Float32Array)).toEqual(Array.from(enc["level0_mean"]!.data as Float32Array));

      const auto = await runOnnx(exported(ir, weights, "autoencoder"), { input: { data: x, dims: [n, 5] } });
      const recon = flat(denseDecoder(weights, ir, posterior[0]!.mean));
      expectClose("autoencoder", auto["reconstruction"]!.data as Float32Array, recon);

      const zTop = input(n, topUnits, 2);
      const dec = await runOnnx(exported(ir, weights, "decoder"), { latent: { data: zTop, dims: [n, topUnits] } });
      const fromTop = flat(denseDecoder(weights, ir, ladderFromTop(weights, b, toRows(zTop, topUnits))));
      expectClose("decoder from the top", dec["reconstruction"]!.data as Float32Array, fromTop);

      if (L > 1) {
        // The decoder part is not decoder(encoder): fed the top posterior mean, it skips the merges below.
        const topMean = enc[`level${L - 1}_mean`]!.data as Float32Array;
        const viaTop = await runOnnx(exported(ir, weights, "decoder"), { latent: { data: topMean, dims: [n, topUnits] } });
        expect(agreement(viaTop["reconstruction"]!.data as Float32Array, recon).bad).toBeGreaterThan(0);
      }
    });
  }

  it("merges log-variances whose precisions overflow float32 into finite, correct values", async () => {
    const ir = irOf(ladderSpec("ladder(skip: false) { gaussian(3) gaussian(2) }"));
    const b = ir.bottleneck as Ladder;
    const weights = randomLadderWeights(ir, 3);
    // exp(95) > 3.4e38: the document's exp(-lv) would be inf in float32 for a bottom-up lv near -95.
    const bias = weights.get("bottleneck.level0.q_logvar.bias")!;
    weights.set("bottleneck.level0.q_logvar.bias", { shape: bias.shape, values: bias.values.map((v) => v - 95) });
    const n = 4;
    const x = input(n, 5, 5);
    const posterior = ladderPosterior(weights, b, toRows(x, 5));
    const enc = await runOnnx(exported(ir, weights, "encoder"), { input: { data: x, dims: [n, 5] } });
    const mean = enc["level0_mean"]!.data as Float32Array;
    const logVar = enc["level0_logvar"]!.data as Float32Array;
    expect([...mean, ...logVar].every(Number.isFinite)).toBe(true);
    expect(Math.max(...logVar)).toBeLessThan(-80);
    expectClose("level0_mean", mean, flat(posterior[0]!.mean));
    expectClose("level0_logvar", logVar, flat(posterior[0]!.logVar));
  });
});

it("has no ladder on a map to export: the checker refuses one (AE2307); if that changes, add one to the parity models", () => {
  const c = compile(`model m {
  input: [4, 4, 1]
  encoder { conv(2, kernel: 3, stride: 1, padding: same) relu }
  bottleneck: ladder(skip: false) { gaussian(3) gaussian(2) }
  decoder { dense(1) }
  loss { reconstruction(mse) kl() }
}`);
  expect(c.diagnostics.map((d) => d.code)).toContain("AE2307");
});
