import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { aespec } from "../cli/run-cli.js";
import { screenshotPage } from "../support/chromium.js";
import { tempDir } from "../targets/tfjs/train/helpers.js";
import { sectionsOf } from "./report-html.js";

/** `aespec report RUN1 RUN2 -o FILE`: two runs of one spec at two betas, side by side. */
const spec = `model m {
  input: [16, 16, 1] in [0, 1]
  encoder { flatten dense(16) relu }
  bottleneck: gaussian(3)
  decoder { dense(16) relu dense(256) sigmoid reshape([16, 16, 1]) }
  loss { reconstruction(bernoulli) kl(beta: 1) }
  train { data: sprites(size: 16, count: 64) optimizer: adam(lr: 1e-2) batch: 16 epochs: 3 seed: 5 validation: 0.25 }
}
`;

describe("aespec report with several runs", () => {
  const dir = tempDir("aespec-compare-");
  let page = "";
  beforeAll(async () => {
    writeFileSync(join(dir, "m.aespec"), spec);
    for (const [out, beta] of [
      ["beta1", "1"],
      ["beta8", "8"],
    ]) {
      const t = aespec(["train", "m.aespec", "--backend", "cpu", "--quiet", "--out", out!, "--set", `loss.kl.beta=${beta}`], dir);
      expect(t.status, t.stderr).toBe(0);
    }
    const r = aespec(["report", "beta1", "beta8", "--backend", "cpu", "--iwae-k", "2", "--limit", "16", "-o", "compare.html"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote compare.html, 2 runs compared, in [\d.]+ s/);
    page = readFileSync(join(dir, "compare.html"), "utf8");
    await screenshotPage(join(dir, "compare.html"), "report-compare");
  }, 180_000);

  it("lists the runs with their settings", () => {
    const runs = sectionsOf(page).get("runs")!;
    expect(runs).toContain("<td>beta1</td>");
    expect(runs).toContain("<td>beta8</td>");
    expect(runs.match(/3 of 3/g)).toHaveLength(2);
  });

  it("overlays the runs' curves: a colour per run in every term's chart, train and validation", () => {
    const curves = sectionsOf(page).get("curves")!;
    for (const term of ["reconstruction", "kl", "total"]) expect(curves).toContain(`${term}: every run&#39;s training curve`);
    // Each chart's legend names both runs and both splits.
    const charts = curves.split("<svg").slice(1);
    expect(charts).toHaveLength(3);
    for (const c of charts) for (const label of ["beta1", "beta8", "train", "validation"]) expect(c).toContain(`>${label}<`);
  });

  it("sets the metrics side by side, and they differ where the runs do", () => {
    const metrics = sectionsOf(page).get("metrics")!;
    expect(metrics).toMatch(/<th>beta1 \(epoch 3, \d+ examples\)<\/th><th>beta8 \(epoch 3, \d+ examples\)<\/th>/);
    const kl = /<tr><td>kl \(nats\)<\/td><td class="value">([^<]+)<\/td><td class="value">([^<]+)<\/td><\/tr>/.exec(metrics);
    expect(kl).not.toBeNull();
    expect(kl![1]).not.toBe(kl![2]);
  });

  it("needs -o with several runs, refuses -o with one, and never writes into a run", () => {
    const noOut = aespec(["report", "beta1", "beta8", "--backend", "cpu"], dir);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain("a comparison writes a page (-o FILE, e.g. -o compare.html) or prints JSON (--json)");
    const one = aespec(["report", "beta1", "-o", "x.html", "--backend", "cpu"], dir);
    expect(one.status).toBe(2);
    expect(existsSync(join(dir, "x.html"))).toBe(false);
    const into = aespec(["report", "beta1", "beta8", "--backend", "cpu", "--limit", "16", "--iwae-k", "1", "-o", "beta1/compare.html"], dir);
    expect(into.status).toBe(1);
    expect(into.stderr).toContain("AE3302");
    expect(existsSync(join(dir, "beta1/compare.html"))).toBe(false);
  });
});
