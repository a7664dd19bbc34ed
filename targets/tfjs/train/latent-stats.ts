/**
 * Statistics of the latent over a pass: for a Gaussian bottleneck the KL of
 * each unit and the active units (Burda et al. 2015: a unit is active when
 * the variance over the data of its posterior mean, Cov_x(E_q[z_j]), exceeds
 * 0.01); for a VQ bottleneck the code usage, its perplexity exp(H(usage))
 * and the codes used; for a ladder, the Gaussian statistics of each level
 * against the level's own prior (see ladderStats).
 * Sums are kept in float64 on the CPU.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { IrModel } from "../../../src/ir/model.js";
import { codebookUsage as usageStatistics } from "../../../src/metrics/codebook-usage.js";
import { ACTIVE_UNIT_VARIANCE } from "../../../src/metrics/gaussian-latent.js";
import type { Forward } from "../model-api.js";
import type { CodebookStats, GaussianStats } from "./events.js";
import { gaussianKl, ladderLevelKl } from "./losses/kl.js";

// One definition of an active unit, with eval's (src/metrics). The variance here is computed in one
// pass (E[m^2] - E[m]^2) from running sums, as the trainer sees batches; activeUnits() of src/metrics
// needs every mean kept, so it is not called here.
export { ACTIVE_UNIT_VARIANCE };

export interface LatentStats {
  add(f: Forward): Promise<void>;
  /** A Gaussian bottleneck's statistics; for a ladder, all levels together (units, active units and KL summed). */
  gaussian(): GaussianStats | undefined;
  /** A ladder's statistics per level, bottom first; undefined for every other bottleneck. */
  levels(): readonly GaussianStats[] | undefined;
  codebook(): CodebookStats | undefined;
}

export function latentStats(ir: IrModel): LatentStats {
  const b = ir.bottleneck;
  if (b.kind === "gaussian") return gaussianStats();
  if (b.kind === "ladder") return ladderStats(b.levels.length);
  if (b.kind === "vq") return codebookStats(b.codes);
  return { add: async () => {}, gaussian: () => undefined, levels: () => undefined, codebook: () => undefined };
}

/** Sums over examples of one Gaussian's posterior means, their squares and the KL of each unit. */
class GaussianAccumulator {
  private n = 0;
  private sum: Float64Array | null = null;
  private sumSq: Float64Array | null = null;
  private klSum: Float64Array | null = null;

  /** `mean` [batch, ...] and `kl` [batch, units]; disposes neither. */
  async add(mean: tf.Tensor, kl: tf.Tensor2D): Promise<void> {
    const mu = tf.tidy(() => tf.reshape(mean, [mean.shape[0]!, -1]));
    const [muData, klData] = await Promise.all([mu.data(), kl.data()]);
    const [rows, units] = mu.shape as [number, number];
    mu.dispose();
    const sum = (this.sum ??= new Float64Array(units));
    const sumSq = (this.sumSq ??= new Float64Array(units));
    const klSum = (this.klSum ??= new Float64Array(units));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < units; j++) {
        const m = muData[i * units + j]!;
        sum[j]! += m;
        sumSq[j]! += m * m;
        klSum[j]! += klData[i * units + j]!;
      }
    }
    this.n += rows;
  }

  stats(): GaussianStats | undefined {
    const { n, sum, sumSq, klSum } = this;
    if (n === 0 || sum === null || sumSq === null || klSum === null) return undefined;
    const klPerUnit = Array.from(klSum, (s) => s / n);
    let active = 0;
    for (let j = 0; j < sum.length; j++) {
      const mean = sum[j]! / n;
      const variance = sumSq[j]! / n - mean * mean;
      if (variance > ACTIVE_UNIT_VARIANCE) active++;
    }
    return { klPerUnit, kl: klPerUnit.reduce((a, b) => a + b, 0), activeUnits: active, units: sum.length };
  }
}

function gaussianStats(): LatentStats {
  const acc = new GaussianAccumulator();
  return {
    async add(f) {
      if (f.gaussian === null) return;
      const kl = gaussianKl(f.gaussian.mean, f.gaussian.logVar);
      await acc.add(f.gaussian.mean, kl).finally(() => kl.dispose());
    },
    gaussian: () => acc.stats(),
    levels: () => undefined,
    codebook: () => undefined,
  };
}

/**
 * Each level's KL against its own prior, as the kl term counts it, and its
 * active units, read on the posterior mean's departure from the prior mean,
 * E_q[z_j] - E_p[z_j]: below the top the prior mean itself varies with the
 * data (through the levels above), so a level whose posterior merely copies
 * its prior would count as active on E_q[z_j] alone. At the top (prior
 * N(0, I)) this is Burda et al.'s measure, as for a Gaussian bottleneck.
 */
function ladderStats(levelCount: number): LatentStats {
  const accs = Array.from({ length: levelCount }, () => new GaussianAccumulator());
  const levels = () => {
    const each = accs.map((a) => a.stats());
    return each.every((s) => s !== undefined) ? (each as GaussianStats[]) : undefined;
  };
  return {
    async add(f) {
      const out = f.ladder?.levels;
      if (out === undefined) return;
      for (let i = 0; i < levelCount; i++) {
        const l = out[i]!;
        const kl = ladderLevelKl(l);
        const departure = l.priorMean === null ? null : tf.sub(l.mean, l.priorMean);
        await accs[i]!.add(departure ?? l.mean, kl).finally(() => tf.dispose([kl, ...(departure === null ? [] : [departure])]));
      }
    },
    gaussian: () => {
      const each = levels();
      return each === undefined ? undefined : combinedStats(each);
    },
    levels,
    codebook: () => undefined,
  };
}

/** Several Gaussians' statistics as one: their units side by side. */
export function combinedStats(each: readonly GaussianStats[]): GaussianStats {
  const klPerUnit = each.flatMap((s) => s.klPerUnit);
  return {
    klPerUnit,
    kl: each.reduce((a, s) => a + s.kl, 0),
    activeUnits: each.reduce((a, s) => a + s.activeUnits, 0),
    units: each.reduce((a, s) => a + s.units, 0),
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
    levels: () => undefined,
    codebook: () => codebookUsage(counts),
  };
}

/** Perplexity and codes used of a usage histogram (src/metrics/codebook-usage.ts); undefined when nothing was counted. */
export function codebookUsage(counts: ArrayLike<number>): CodebookStats | undefined {
  const u = usageStatistics(counts);
  return u === null ? undefined : { perplexity: u.perplexity, codesUsed: u.used, codes: u.codes };
}
