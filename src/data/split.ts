import { subset, type Dataset } from "./dataset.js";
import { permutation, type Rng } from "./rng.js";

/**
 * Holds out round(count x fraction) randomly chosen examples for validation
 * (at least one when fraction > 0, and at least one is left for training).
 * Both parts keep the original order of their examples.
 */
export function splitValidation(ds: Dataset, fraction: number, rng: Rng): { train: Dataset; validation: Dataset } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`internal: validation fraction ${fraction} outside [0, 1)`);
  let n = Math.round(ds.count * fraction);
  if (fraction > 0) n = Math.max(n, 1);
  n = Math.min(n, ds.count - 1);
  n = Math.max(n, 0);
  const order = permutation(ds.count, rng);
  const held = order.subarray(0, n).slice().sort();
  const kept = order.subarray(n).slice().sort();
  return { train: subset(ds, kept), validation: subset(ds, held) };
}
