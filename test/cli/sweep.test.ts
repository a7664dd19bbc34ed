import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { EvalReport } from "../../src/eval/eval-report.js";
import type { Comparison } from "../../src/report/comparison.js";
import { sectionsOf } from "../report/report-html.js";
import { parseAxis, splitTopLevel, sweepPoints } from "../../src/cli/sweep-grid.js";
import { tempDir } from "../support/temp-dir.js";
import { aespec } from "./run-cli.js";

describe("the sweep's grid", () => {
  it("splits a value list at the commas outside calls, shapes and strings", () => {
    expect(splitTopLevel("1,4,16")).toEqual(["1", "4", "16"]);
    expect(splitTopLevel("vq(codes: 16, dim: 4),vq(codes: 64, dim: 4)")).toEqual(["vq(codes: 16, dim: 4)", "vq(codes: 64, dim: 4)"]);
    expect(splitTopLevel('"a,b.npy",mnist(count: 100)')).toEqual(['"a,b.npy"', "mnist(count: 100)"]);
    expect(parseAxis("loss.kl.beta=1, 4")).toEqual({ path: "loss.kl.beta", values: ["1", "4"] });
    expect(parseAxis("loss.kl.beta=1,,4")).toMatch(/an empty value/);
    expect(parseAxis("beta")).toMatch(/needs PATH=VALUE/);
  });

  it("every combination, the first axis slowest, each with every seed, in folders named by the values", () => {
    const points = sweepPoints(
      [
        { path: "loss.kl.beta", values: ["1", "4"] },
        { path: "bottleneck", values: ["gaussian(2)", "gaussian(8)"] },
      ],
      [7, 8],
    );
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual({
      name: "loss.kl.beta=1,bottleneck=gaussian_2_,seed=7",
      overrides: ["loss.kl.beta=1", "bottleneck=gaussian(2)", "train.seed=7"],
      values: { "loss.kl.beta": "1", bottleneck: "gaussian(2)", seed: "7" },
    });
    expect(points.map((p) => p.name).at(-1)).toBe("loss.kl.beta=4,bottleneck=gaussian_8_,seed=8");
    expect(new Set(points.map((p) => p.name)).size).toBe(8);
    expect(sweepPoints([{ path: "train.batch", values: ["8", "16"] }], null).map((p) => p.name)).toEqual(["train.batch=8", "train.batch=16"]);
  });
});

const SPEC = `model m {
  input: [6]
  encoder { dense(8) relu }
  bottleneck: gaussian(2)
  decoder { dense(6) }
  loss { reconstruction(mse) kl(beta: 1) }
  train { data: lowrank(dim: 6, rank: 2, count: 96) batch: 16 epochs: 2 seed: 3 }
}
`;

interface Summary {
  seeds: number[];
  evalOptions: unknown;
  runs: { name: string; exitCode: number; values: Record<string, string>; final: { epoch: number; train: { total: number } }; eval: EvalReport }[];
}

describe("aespec sweep", () => {
  const dir = tempDir("aespec-sweep-");
  const readSummary = () => JSON.parse(readFileSync(join(dir, "out", "sweep.json"), "utf8")) as Summary;
  // A 2 x 2 grid, each point with 2 seeds, evaluated once trained.
  const sweep = (...extra: string[]) =>
    aespec(
      [
        "sweep",
        "m.aespec",
        "--set",
        "loss.kl.beta=1,4",
        "--set",
        "train.batch=16,32",
        "--seeds",
        "2",
        "--jobs",
        "2",
        "--eval",
        "--limit",
        "16",
        "--iwae-k",
        "2",
      ].concat("--out", "out", ...extra, "--", "--backend", "cpu"),
      dir,
    );
  const names = [1, 4].flatMap((beta) => [16, 32].flatMap((batch) => [3, 4].map((seed) => `loss.kl.beta=${beta},train.batch=${batch},seed=${seed}`)));
  let first: ReturnType<typeof aespec>;
  beforeAll(() => {
    writeFileSync(join(dir, "m.aespec"), SPEC);
    first = sweep();
  }, 120_000);

  it("trains every point as a run of its own, with its values, and sums them up in sweep.json", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("8 of 8 runs trained and evaluated; the sweep is in out (sweep.json)");
    expect(readdirSync(join(dir, "out")).sort()).toEqual([...names, "sweep.json"].sort());
    for (const n of names) {
      const ir = JSON.parse(readFileSync(join(dir, "out", n, "ir.json"), "utf8")) as {
        losses: { kind: string; beta?: number }[];
        train: { seed: number; batch: number };
      };
      const [beta, batch, seed] = /beta=(\d+),train.batch=(\d+),seed=(\d+)/.exec(n)!.slice(1).map(Number);
      expect(ir.losses.find((t) => t.kind === "kl")!.beta).toBe(beta);
      expect(ir.train.batch).toBe(batch);
      expect(ir.train.seed).toBe(seed);
    }
    const summary = readSummary();
    expect(summary.seeds).toEqual([3, 4]);
    expect(summary.evalOptions).toEqual({ iwaeK: 2, limit: 16 });
    expect(summary.runs.map((r) => [r.name, r.exitCode, r.final.epoch, r.eval.epoch, r.eval.examples])).toEqual(names.map((n) => [n, 0, 2, 2, 16]));
    expect(summary.runs[0]!.values).toEqual({ "loss.kl.beta": "1", "train.batch": "16", seed: "3" });
    // Different seeds, different runs.
    expect(summary.runs[0]!.final.train.total).not.toBe(summary.runs[1]!.final.train.total);
  });

  it("started again, trains only what is missing: finished runs stay as they are", () => {
    const before = names.map((n) => readFileSync(join(dir, "out", n, "metrics.jsonl"), "utf8"));
    rmSync(join(dir, "out", names[2]!), { recursive: true });
    const again = sweep();
    expect(again.status).toBe(0);
    expect(again.stdout.match(/^training .*$/gm)).toEqual([`training ${names[2]}`]);
    expect(again.stdout.match(/^resuming .*$/gm)).toHaveLength(7);
    // Only the new run is evaluated: the others' evaluations of the same epoch are kept.
    expect(again.stdout.match(/^evaluating .*$/gm)).toEqual([`evaluating ${names[2]}`]);
    names.forEach((n, i) => {
      const now = readFileSync(join(dir, "out", n, "metrics.jsonl"), "utf8");
      if (i === 2) expect(now.trim().split("\n")).toHaveLength(2);
      else expect(now).toBe(before[i]); // not one epoch more
    });
  });

  it("aespec compare --json: each run's values, final epoch and eval as the run and the sweep have them, each point's mean and spread over its seeds", () => {
    const r = aespec(["compare", "out", "--json", "--backend", "cpu", "--iwae-k", "2", "--limit", "16"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout) as Comparison;
    const summary = readSummary();
    expect(c.axes).toEqual(["loss.kl.beta", "train.batch", "seed"]);
    expect(c.runs.map((run) => run.name)).toEqual(names.map((n) => join("out", n)));
    c.runs.forEach((run, i) => {
      const lines = readFileSync(join(dir, "out", names[i]!, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n");
      const last = JSON.parse(lines.at(-1)!) as { epoch: number; train: { total: number; terms: Record<string, number> }; validation: unknown };
      expect(run.final).toEqual({ epoch: last.epoch, train: last.train, validation: last.validation });
      expect(run.metrics["train.total"]).toBe(last.train.total);
      expect(run.metrics["train.kl"]).toBe(last.train.terms["kl"]);
      // The sweep's evaluation, taken as it is (same epoch, same options).
      expect(run.eval).toEqual(summary.runs[i]!.eval);
      expect(run.metrics["kl"]).toBe(summary.runs[i]!.eval.gaussian!.kl);
      expect(run.metrics["active_units"]).toBe(summary.runs[i]!.eval.gaussian!.activeUnits);
      expect(run.values).toEqual(summary.runs[i]!.values);
    });
    expect(c.points.map((p) => [p.name, p.runs.length])).toEqual(
      [1, 4].flatMap((beta) => [16, 32].map((batch) => [`loss.kl.beta=${beta}, train.batch=${batch}`, 2])),
    );
    c.points.forEach((p, j) => {
      const kls = [c.runs[2 * j]!, c.runs[2 * j + 1]!].map((run) => run.metrics["kl"]!);
      const mean = (kls[0]! + kls[1]!) / 2;
      expect(p.metrics["kl"]!.mean).toBeCloseTo(mean, 12);
      expect(p.metrics["kl"]!.sd).toBeCloseTo(Math.abs(kls[0]! - kls[1]!) / Math.SQRT2, 12);
      expect(p.metrics["kl"]!.n).toBe(2);
      expect(p.metrics["kl"]!.sd).toBeGreaterThan(0); // two seeds, two different values
    });
  });

  it("evaluates again with other options: the same numbers as aespec eval of the run", () => {
    const c = JSON.parse(aespec(["compare", "out", "--json", "--backend", "cpu", "--iwae-k", "1", "--limit", "8"], dir).stdout) as Comparison;
    const alone = JSON.parse(aespec(["eval", join("out", names[5]!), "--json", "--backend", "cpu", "--iwae-k", "1", "--limit", "8"], dir).stdout) as EvalReport;
    expect(c.runs[5]!.eval.examples).toBe(8);
    expect(c.runs[5]!.eval).toEqual({ ...alone, backend: undefined });
  });

  it("aespec compare -o: the sweep's runs on one page, each metric against each swept value, and each point over its seeds", () => {
    const r = aespec(
      ["compare", "out", "--backend", "cpu", "--iwae-k", "2", "--limit", "16", "--metric", "kl", "--metric", "train.total", "-o", "sweep.html"],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote sweep.html, 8 runs compared \(8 evaluated by their sweep\), in [\d.]+ s/);
    const page = readFileSync(join(dir, "sweep.html"), "utf8");
    for (const n of names) expect(page).toContain(`<td>${join("out", n)}</td>`);
    const sections = sectionsOf(page);
    const swept = sections.get("swept")!;
    // Two metrics against two axes; beta 1 to 4 is not a factor of ten: linear scales.
    const captions = [...swept.matchAll(/<figcaption>([^<]+?) against ([^:]+):/g)].map((m) => `${m[1]} | ${m[2]}`);
    expect(captions).toEqual(["kl | loss.kl.beta", "train.total | loss.kl.beta", "kl | train.batch", "train.total | train.batch"]);
    expect(swept).not.toContain("log scale");
    // Each chart's legend names the points of the other axis.
    const charts = swept.split("<svg").slice(1);
    expect(charts[0]).toContain(">train.batch=16<");
    expect(charts[2]).toContain(">loss.kl.beta=4<");
    const seeds = sections.get("seeds")!;
    expect(seeds).toContain("<th>loss.kl.beta=1, train.batch=16 (2 runs)</th>");
    expect(seeds).toMatch(/<tr><td>kl<\/td><td class="value">[-\d.e]+ ± [\d.e-]+ \(2\)<\/td>/);
    const unknown = aespec(["compare", "out", "--backend", "cpu", "--iwae-k", "2", "--limit", "16", "--metric", "beta", "-o", "x.html"], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no run has the metric 'beta'; they have: reconstruction\.mse, .*\bkl\b/);
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });

  it("checks every point before training any, and refuses what cannot be a sweep", () => {
    const bad = aespec(["sweep", "m.aespec", "--set", "loss.kl.beta=1,-4", "--out", "bad", "--", "--backend", "cpu"], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("the sweep's point loss.kl.beta=-4 does not check; nothing was trained");
    expect(existsSync(join(dir, "bad"))).toBe(false);
    const both = aespec(["sweep", "m.aespec", "--set", "train.seed=1,2", "--seeds", "2", "--out", "x"], dir);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("--seeds and --set train.seed=... both choose seeds");
    expect(aespec(["sweep", "m.aespec", "--out", "x"], dir).stderr).toContain("nothing to sweep");
  });
});
