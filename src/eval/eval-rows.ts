import type { EvalReport, IwaeBounds } from "./eval-report.js";

/** A number for people: four significant digits, no exponent for ordinary sizes. */
export function num(v: number | null): string {
  if (v === null || Number.isNaN(v)) return "n/a";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(1);
  if (a >= 1e-3 || a === 0) return Number(v.toPrecision(4)).toString();
  return v.toExponential(2);
}

const SPLIT_NAMES: Record<EvalReport["split"], string> = {
  test: "test set",
  validation: "validation fraction",
  train: "training data (no test set or validation fraction)",
};

/** The metrics of `aespec eval` as an aligned two-column table, with a heading line and notes. */
export function evalTable(r: EvalReport): string {
  const rows = evalRows(r);
  const width = Math.max("metric".length, ...rows.map((row) => row[0].length));
  const lines = [evalHeading(r), `${"metric".padEnd(width)}  value`, ...rows.map(([m, v]) => `${m.padEnd(width)}  ${v}`)];
  if (r.pooledCodes) lines.push("codes for the probe and MIG: the latent map's mean over its positions");
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join("\n") + "\n";
}

/** What was evaluated, in one line. */
export function evalHeading(r: EvalReport): string {
  return `eval of ${r.run}: model ${r.model}, epoch ${r.epoch}, ${SPLIT_NAMES[r.split]}, ${r.examples} examples`;
}

/** The rows of the table, [metric, value], shared by the terminal table and the HTML report. */
export function evalRows(r: EvalReport): [string, string][] {
  const rows: [string, string][] = [];
  const add = (metric: string, value: string) => rows.push([metric, value]);
  const addIwae = (b: IwaeBounds) => {
    add(`elbo (K = ${b.samples} samples)`, num(b.elbo));
    add(`iwae bound (K = ${b.samples})`, num(b.bound));
    add(`iwae nll (K = ${b.samples})`, num(b.nll));
  };
  add("reconstruction mse", num(r.reconstruction.mse));
  if (r.reconstruction.bce !== null) add("reconstruction bce", num(r.reconstruction.bce));
  const k = r.corrupted;
  if (k !== null) {
    add(`from corrupted input (${k.corruption}): mse`, num(k.mse));
    if (k.bce !== null) add(`from corrupted input (${k.corruption}): bce`, num(k.bce));
    if (k.hiddenMse !== null) add("from masked input: mse on hidden", num(k.hiddenMse));
  }
  const g = r.gaussian;
  if (g !== null) {
    add("kl (nats)", num(g.kl));
    add("active units", `${g.activeUnits} / ${g.units}`);
    add(
      "kl per unit (largest 3)",
      [...g.klPerUnit]
        .sort((a, b) => b - a)
        .slice(0, 3)
        .map(num)
        .join(", "),
    );
    if (g.iwae !== null) addIwae(g.iwae);
  }
  if (r.ladder !== null) {
    add("kl, all levels (nats)", num(r.ladder.kl));
    r.ladder.levels.forEach((l, i) => add(`  level ${i}: kl, active units`, `${num(l.kl)}, ${l.activeUnits} / ${l.units}`));
    if (r.ladder.iwae !== null) addIwae(r.ladder.iwae);
  }
  const c = r.codebook;
  if (c !== null) {
    add("codebook perplexity", num(c.perplexity));
    add("codebook entropy (nats)", num(c.entropy));
    add("codes used", `${c.used} / ${c.codes} (${c.dead} dead)`);
  }
  if (r.probe !== null) add("linear probe accuracy", `${num(r.probe.accuracy)} (chance ${num(r.probe.chance)}, ${r.probe.classes} classes)`);
  if (r.mig !== null) {
    add("mig", num(r.mig.score));
    for (const f of r.mig.factors) add(`  gap ${f.name}`, f.gap === null ? "constant factor, left out" : num(f.gap));
  }
  const sub = r.subspace;
  if (sub !== null) {
    const angles = (s: { maxDegrees: number; anglesDegrees: readonly number[] }) => `max ${num(s.maxDegrees)}; ${s.anglesDegrees.map(num).join(", ")}`;
    add(`principal angles to the training PCA-${sub.components} (deg; ${sub.trainExamples} examples)`, angles(sub));
    if (sub.evaluated !== null) add(`principal angles to the ${SPLIT_NAMES[sub.evaluated.split]}'s PCA-${sub.components} (deg)`, angles(sub.evaluated));
  }
  if (r.interpolation !== null) {
    const i = r.interpolation;
    add("interpolation path / straight", `${num(i.ratio)} (${i.pairs} pairs, ${i.steps} frames)`);
  }
  const a = r.anomaly;
  if (a !== null) {
    const where = a.scored === "evaluated" ? "" : `, ${a.scored} test set`;
    for (const s of a.scores)
      add(
        `anomaly auroc, class ${a.anomalyClass} (${s.score === "reconstruction" ? "reconstruction" : "-elbo"})`,
        `${num(s.auroc)} (${s.definition}; ${a.anomalies} anomalies, ${a.normals} normal${where})`,
      );
  }
  return rows;
}
