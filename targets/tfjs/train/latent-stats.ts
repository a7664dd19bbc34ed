/**
 * Statistics of the latent over a pass: for a Gaussian bottleneck the KL of
 * each unit and the active units (Burda et al. 2015: a unit is active when
 * the variance over the data of its posterior mean, Cov_x(E_q[z_j]), exceeds
 * 0.01); for a VQ bottleneck the code usage, its perplexity exp(H(usage))
 * and the codes used. Sums are kept in float64 on the CPU.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { IrModel } from "../../../src/ir/model.js";
import type { Forward } from "../model-api.js";
import type { CodebookStats, GaussianStats } from "./events.js";
import { gaussianKl } from "./losses/kl.js";

export const ACTIVE_UNIT_VARIANCE = 0.01;

export interface LatentStats {
  add(f: Forward): Promise<void>;
  gaussian(): GaussianStats | undefined;
  codebook(): CodebookStats | undefined;
}

export function latentStats(ir: IrModel): LatentStats {
  const b = ir.bottleneck;
  if (b.kind === "gaussian") return gaussianStats();
  if (b.kind === "vq") return codebookStats(b.codes);
  return { add: async () => {}, gaussian: () => undefined, codebook: () => undefined };
}

function gaussianStats(): LatentStats {
  let n = 0;
  let sum: Float64Array | null = null;
  let sumSq: Float64Array | null = null;
  let klSum: Float64Array | null = null;
  return {
    async add(f) {
      if (f.gaussian === null) return;
      const [mu, kl] = tf.tidy(() => {
        const batch = f.gaussian!.mean.shape[0]!;
        return [tf.reshape(f.gaussian!.mean, [batch, -1]), gaussianKl(f.gaussian!.mean, f.gaussian!.logVar)];
      });
      const [muData, klData] = await Promise.all([mu.data(), kl.data()]);
      const [rows, units] = mu.shape as [number, number];
      tf.dispose([mu, kl]);
      sum ??= new Float64Array(units);
      sumSq ??= new Float64Array(units);
      klSum ??= new Float64Array(units);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < units; j++) {
          const m = muData[i * units + j]!;
          sum[j] += m;
          sumSq[j] += m * m;
          klSum[j] += klData[i * units + j]!;
        }
      }
      n += rows;
    },
    gaussian() {
      if (n === 0 || sum === null || sumSq === null || klSum === null) return undefined;
      const klPerUnit = Array.from(klSum, (s) => s / n);
      let active = 0;
      for (let j = 0; j < sum.length; j++) {
        const mean = sum[j]! / n;
        const variance = sumSq[j]! / n - mean * mean;
        if (variance > ACTIVE_UNIT_VARIANCE) active++;
      }
      return { klPerUnit, kl: klPerUnit.reduce((a, b) => a + b, 0), activeUnits: active, units: sum.length };
    },
    codebook: () => undefined,
  };
}

function codebookStats(codes: number): LatentStats {
  const counts = new Float64Array(codes);
  return {
    async add(f) {
      if (f.vq === null) return;
      const idx = await f.vq.indices.data();
      for (let i = 0; i < idx.length; i++) counts[idx[i]!]! += 1;
    },
    gaussian: () => undefined,
    codebook: () => codebookUsage(counts),
  };
}

/** Perplexity and codes used of a usage histogram; undefined when nothing was counted. */
export function codebookUsage(counts: ArrayLike<number>): CodebookStats | undefined {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;
  if (total === 0) return undefined;
  let entropy = 0;
  let used = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    if (c === 0) continue;
    used++;
    const p = c / total;
    entropy -= p * Math.log(p);
  }
  return { perplexity: Math.exp(entropy), codesUsed: used, codes: counts.length };
}
