/**
 * Codebook usage of a vector-quantised bottleneck over a data set (van den
 * Oord et al. 2017, "Neural Discrete Representation Learning"; perplexity as
 * in its common implementations):
 * - usage histogram: how many latent vectors chose each code;
 * - entropy H = -sum_k p_k log p_k of the usage frequencies, in nats;
 * - perplexity exp(H): the number of equally used codes with the same
 *   entropy, between 1 (one code) and the codebook size (uniform use);
 * - dead codes: codes no latent vector chose.
 */
export function usageHistogram(indices: ArrayLike<number>, codes: number): Float64Array {
  const counts = new Float64Array(codes);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (!(Number.isInteger(k) && k >= 0 && k < codes)) throw new Error(`internal: code index ${k} outside 0..${codes - 1}`);
    counts[k] = counts[k]! + 1;
  }
  return counts;
}

export interface CodebookUsage {
  readonly codes: number;
  readonly used: number;
  readonly dead: number;
  /** Nats. */
  readonly entropy: number;
  readonly perplexity: number;
}

/** Statistics of a usage histogram; null when nothing was counted. */
export function codebookUsage(counts: ArrayLike<number>): CodebookUsage | null {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;
  if (total === 0) return null;
  let entropy = 0;
  let used = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    if (c === 0) continue;
    used++;
    const p = c / total;
    entropy -= p * Math.log(p);
  }
  return { codes: counts.length, used, dead: counts.length - used, entropy, perplexity: Math.exp(entropy) };
}
