import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
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

describe("aespec sweep", () => {
  const dir = tempDir("aespec-sweep-");
  const sweep = (...extra: string[]) =>
    aespec(["sweep", "m.aespec", "--set", "loss.kl.beta=1,4", "--seeds", "2", "--jobs", "2", "--out", "out", ...extra, "--", "--backend", "cpu"], dir);
  const names = ["loss.kl.beta=1,seed=3", "loss.kl.beta=1,seed=4", "loss.kl.beta=4,seed=3", "loss.kl.beta=4,seed=4"];
  let first: ReturnType<typeof aespec>;
  beforeAll(() => {
    writeFileSync(join(dir, "m.aespec"), SPEC);
    first = sweep();
  }, 120_000);

  it("trains every point as a run of its own, with its values, and sums them up in sweep.json", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("4 of 4 runs trained; the sweep is in out (sweep.json)");
    expect(readdirSync(join(dir, "out")).sort()).toEqual([...names, "sweep.json"].sort());
    for (const n of names) {
      const ir = JSON.parse(readFileSync(join(dir, "out", n, "ir.json"), "utf8")) as { losses: { kind: string; beta?: number }[]; train: { seed: number } };
      const [beta, seed] = /beta=(\d+),seed=(\d+)/.exec(n)!.slice(1).map(Number);
      expect(ir.losses.find((t) => t.kind === "kl")!.beta).toBe(beta);
      expect(ir.train.seed).toBe(seed);
    }
    const summary = JSON.parse(readFileSync(join(dir, "out", "sweep.json"), "utf8")) as {
      seeds: number[];
      runs: { name: string; exitCode: number; values: Record<string, string>; final: { epoch: number; train: { total: number } } }[];
    };
    expect(summary.seeds).toEqual([3, 4]);
    expect(summary.runs.map((r) => [r.name, r.exitCode, r.final.epoch])).toEqual(names.map((n) => [n, 0, 2]));
    expect(summary.runs[0]!.values).toEqual({ "loss.kl.beta": "1", seed: "3" });
    // Different seeds, different runs.
    expect(summary.runs[0]!.final.train.total).not.toBe(summary.runs[1]!.final.train.total);
  });

  it("started again, trains only what is missing: finished runs stay as they are", () => {
    const before = names.map((n) => readFileSync(join(dir, "out", n, "metrics.jsonl"), "utf8"));
    rmSync(join(dir, "out", names[2]!), { recursive: true });
    const again = sweep();
    expect(again.status).toBe(0);
    expect(again.stdout.match(/^training .*$/gm)).toEqual([`training ${names[2]}`]);
    expect(again.stdout.match(/^resuming .*$/gm)).toHaveLength(3);
    names.forEach((n, i) => {
      const now = readFileSync(join(dir, "out", n, "metrics.jsonl"), "utf8");
      if (i === 2) expect(now.trim().split("\n")).toHaveLength(2);
      else expect(now).toBe(before[i]); // not one epoch more
    });
  });

  it("aespec report on the sweep's folder compares its runs, and sums each point up over its seeds", () => {
    const r = aespec(["report", "out", "--backend", "cpu", "--iwae-k", "1", "--limit", "8", "-o", "sweep.html"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("wrote sweep.html, 4 runs compared");
    const page = readFileSync(join(dir, "sweep.html"), "utf8");
    for (const n of names) expect(page).toContain(`<td>${join("out", n)}</td>`);
    const seeds = page.slice(page.indexOf('<section id="seeds">'));
    expect(seeds).toContain("<th>out/loss.kl.beta=1 (2 seeds)</th><th>out/loss.kl.beta=4 (2 seeds)</th>");
    const kl = /<tr><td>kl \(nats\)<\/td><td class="value">([-\d.e]+) ± ([\d.e-]+) \(2\)<\/td>/.exec(seeds);
    expect(kl).not.toBeNull();
    expect(Number(kl![2])).toBeGreaterThan(0); // two seeds, two different values
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
