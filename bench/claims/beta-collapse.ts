/** Claim 2: beta trades reconstruction for posterior collapse; the collapse warning fires where it happens. */
import { join } from "node:path";
import { readEpochLog } from "../../src/run/metrics.js";
import { readRunIr } from "../../src/run/run-ir.js";
import { runWarnings } from "../../src/target/collapse-warnings.js";
import { aespec, commandLine, compared, falls, nonRising, ROOT, SPEC, table, type Claim } from "./claim.js";

const BETAS = ["0.5", "1", "4", "16", "64"];
const EVAL = ["--iwae-k", "1"];

/** The collapse warnings training raised in a run (replayed from its metrics.jsonl, as report does). */
export function warningsOf(run: string): string[] {
  const ir = readRunIr(join(ROOT, run));
  if (typeof ir === "string") throw new Error(`${run}: ${ir}`);
  const epochs = readEpochLog(join(ROOT, run, "metrics.jsonl"))?.epochs ?? [];
  return [...new Set(runWarnings(ir, epochs).map((w) => w.warning.code))];
}

export const betaCollapse: Claim = {
  name: "beta",
  title: "beta and posterior collapse",
  statement:
    "Raising the KL weight beta of a VAE trades reconstruction for a simpler posterior: the KL and the active units fall, the reconstruction worsens, and past some beta the posterior collapses onto the prior (AE3107 warns).",
  run: async () => {
    const out = "claims-runs/beta";
    const sweep = ["sweep", SPEC, "--model", "vae_beta", "--set", `loss.kl.beta=${BETAS.join(",")}`, "--eval", ...EVAL, "--out", out];
    await aespec(sweep);
    const c = await compared([out], EVAL);
    // Each run's metrics.jsonl read and replayed once.
    const warnings = c.runs.map((r) => warningsOf(r.name));
    const rows = c.runs.map((r, i) => {
      const m = r.metrics;
      const warned = warnings[i]!;
      return [
        r.values["loss.kl.beta"]!,
        m["kl"]!,
        `${m["active_units"]} / 16`,
        m["reconstruction.bce"]!,
        m["reconstruction.bce"]! + m["kl"]!,
        warned.join(", ") || "none",
      ];
    });
    const kl = c.runs.map((r) => r.metrics["kl"]!);
    const active = c.runs.map((r) => r.metrics["active_units"]!);
    const bce = c.runs.map((r) => r.metrics["reconstruction.bce"]!);
    const warnedAt = warnings.map((w) => w.includes("AE3107"));
    const shown = falls(kl) && nonRising(active) && nonRising([...bce].reverse()) && !warnedAt[0] && !warnedAt[1] && warnedAt.at(-1) === true;
    return {
      commands: [sweep, ["compare", out, "-o", "beta.html", "--metric", "kl", "--metric", "active_units", ...EVAL]].map(commandLine),
      body: `${table(["beta", "KL (nats)", "active units", "reconstruction (BCE, nats)", "-ELBO", "warnings in training"], rows)}\n\nMNIST test set (10,000 images), 3 epochs, dense 784-256-16.`,
      verdict: shown ? "shown" : "not shown",
      why: `KL ${falls(kl) ? "falls" : "does not fall"} with beta (${kl.map((k) => k.toFixed(1)).join(" > ")}), active units ${active.join(", ")}, reconstruction ${nonRising([...bce].reverse()) ? "worsens" : "does not worsen"} monotonically; AE3107 ${warnedAt.map((w, i) => `${BETAS[i]}: ${w ? "yes" : "no"}`).join(", ")}.`,
    };
  },
};
