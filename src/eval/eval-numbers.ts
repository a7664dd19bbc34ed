/**
 * The metrics of an eval report as plain numbers under stable names
 * (`kl`, `active_units`, `codebook.perplexity`, ...): what `aespec compare`
 * averages over seeds, plots against swept values and prints in its JSON.
 * The eval table's rows (eval-rows.ts) are the same metrics, for people.
 */
import type { EvalReport, IwaeBounds } from "./eval-report.js";

export function evalNumbers(r: EvalReport): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) out[name] = v;
  };
  const putIwae = (prefix: string, b: IwaeBounds | null) => {
    if (b === null) return;
    put(`${prefix}elbo`, b.elbo);
    put(`${prefix}iwae_nll`, b.nll);
  };
  put("reconstruction.mse", r.reconstruction.mse);
  put("reconstruction.bce", r.reconstruction.bce);
  if (r.corrupted !== null) {
    put("corrupted.mse", r.corrupted.mse);
    put("corrupted.bce", r.corrupted.bce);
    put("corrupted.hidden_mse", r.corrupted.hiddenMse);
  }
  if (r.gaussian !== null) {
    put("kl", r.gaussian.kl);
    put("active_units", r.gaussian.activeUnits);
    putIwae("", r.gaussian.iwae);
  }
  if (r.ladder !== null) {
    put("kl", r.ladder.kl);
    r.ladder.levels.forEach((l, i) => {
      put(`level${i}.kl`, l.kl);
      put(`level${i}.active_units`, l.activeUnits);
    });
    putIwae("", r.ladder.iwae);
  }
  if (r.codebook !== null) {
    put("codebook.perplexity", r.codebook.perplexity);
    put("codebook.entropy", r.codebook.entropy);
    put("codebook.used", r.codebook.used);
    put("codebook.dead", r.codebook.dead);
  }
  if (r.probe !== null) put("probe.accuracy", r.probe.accuracy);
  if (r.mig !== null) put("mig", r.mig.score);
  if (r.subspace !== null) put("subspace.max_degrees", r.subspace.maxDegrees);
  if (r.interpolation !== null) put("interpolation.ratio", r.interpolation.ratio);
  if (r.anomaly !== null) for (const s of r.anomaly.scores) put(`anomaly.auroc.${s.score}`, s.auroc);
  return out;
}
