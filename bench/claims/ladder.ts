/** Claim 4: a ladder's deterministic skip connections keep its upper levels alive. */
import { aespec, commandLine, compared, table, type Claim } from "./claim.js";

const EVAL = ["--iwae-k", "1"];
const LEVELS = [64, 32, 16];

export const ladderSkips: Claim = {
  name: "ladder",
  title: "skip connections keep a ladder's upper levels alive",
  statement:
    "In a hierarchical VAE the upper levels tend to collapse onto their priors (the bottom level alone explains the data); a ladder's deterministic skip connections from the encoder keep them carrying information.",
  run: async () => {
    const out = "claims-runs/ladder";
    const sweep = ["sweep", "specs/vae.aespec", "--model", "ladder_vae", "--set", "bottleneck.skip=true,false", "--eval", ...EVAL, "--out", out];
    const train = ["--", "--set", "train.epochs=2", "--set", "loss.kl.warmup=1"];
    await aespec([...sweep, ...train]);
    const c = await compared([out], EVAL);
    const rows = c.runs.flatMap((r) =>
      LEVELS.map((units, i) => [
        i === 0 ? `skip: ${r.values["bottleneck.skip"]}` : "",
        `${i}${i === LEVELS.length - 1 ? " (top)" : ""}`,
        `${r.metrics[`level${i}.active_units`]} / ${units}`,
        r.metrics[`level${i}.kl`]!,
      ]),
    );
    const upper = (skip: string) => {
      const r = c.runs.find((x) => x.values["bottleneck.skip"] === skip)!;
      return { active: r.metrics["level1.active_units"]! + r.metrics["level2.active_units"]!, kl: r.metrics["level1.kl"]! + r.metrics["level2.kl"]! };
    };
    const [on, off] = [upper("true"), upper("false")];
    return {
      commands: [commandLine([...sweep, ...train]), commandLine(["compare", out, "-o", "ladder.html", ...EVAL])],
      body: `${table(["variant", "level", "active units", "KL (nats)"], rows)}\n\nspecs/vae.aespec ladder_vae (levels 64, 32, 16) on MNIST, 2 epochs with a 1-epoch KL warm-up; the test set, at the posterior means; each level's KL against its own top-down prior.`,
      verdict: on.active > off.active && on.kl > off.kl ? "shown" : "not shown",
      why: `Levels 1 and 2 together: ${on.active} active units and ${on.kl.toFixed(2)} nats with skip connections, ${off.active} and ${off.kl.toFixed(2)} without.`,
    };
  },
};
