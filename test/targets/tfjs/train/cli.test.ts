import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aespec, root } from "../../../cli/run-cli.js";
import { tempDir } from "./helpers.js";

/** A copy of specs/linear.aespec in a fresh folder, to run the command line there. */
function workspace(): { dir: string; spec: string } {
  const dir = tempDir("aespec-cli-");
  copyFileSync(join(root, "specs/linear.aespec"), join(dir, "linear.aespec"));
  return { dir, spec: "linear.aespec" };
}

const metricLines = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n");

describe("aespec train (the built command line)", () => {
  it("trains specs/linear.aespec for 2 epochs into runs/<model>, printing the backend and one line an epoch", () => {
    const { dir, spec } = workspace();
    const r = aespec(["train", spec, "--set", "train.epochs=2", "--backend", "cpu"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^backend cpu \(plain JavaScript, slow\)$/m);
    expect(r.stdout).toMatch(/^training linear_ae: 10000 examples, 40 steps an epoch, 2 epochs$/m);
    expect(r.stdout).toMatch(/^epoch 1\/2 {2}train [\d.]+ {2}[\d.]+ s {2}\d+ ex\/s$/m);
    expect(r.stdout).toMatch(/^epoch 2\/2 /m);
    expect(r.stdout).toMatch(/trained 2 epochs; the run is in runs\/linear_ae$/m);
    const run = join(dir, "runs/linear_ae");
    expect(readdirSync(run).sort()).toEqual(["checkpoint", "ir.json", "metrics.jsonl", "spec.aespec"]);
    expect(readFileSync(join(run, "spec.aespec"), "utf8")).toBe(readFileSync(join(dir, spec), "utf8") + "// trained with: --set train.epochs=2\n");
    expect((JSON.parse(readFileSync(join(run, "ir.json"), "utf8")) as { train: { epochs: number } }).train.epochs).toBe(2);
    expect(metricLines(run)).toHaveLength(2);

    // A second fresh run would overwrite it: refused.
    const again = aespec(["train", spec, "--set", "train.epochs=2", "--backend", "cpu"], dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/error AE3106: 'runs\/linear_ae' already holds a trained run/);

    // --resume continues to epoch 3.
    const more = aespec(["train", spec, "--set", "train.epochs=3", "--backend", "cpu", "--resume"], dir);
    expect(more.status).toBe(0);
    expect(more.stdout).toMatch(/resuming after epoch 2/);
    expect(more.stdout).toMatch(/^epoch 3\/3 /m);
    expect(more.stdout).not.toMatch(/^epoch [12]\/3 /m);
    expect(metricLines(run).map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2, 3]);

    // A changed spec is refused, located in the spec, naming the change.
    const changed = aespec(["train", spec, "--set", "train.seed=2", "--backend", "cpu", "--resume"], dir);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/linear\.aespec:\d+:\d+: error AE3104: cannot resume 'runs\/linear_ae': .*train\.seed: 1 -> 2/);
  });

  it("writes where --out says, and refuses an unknown backend as a usage error", () => {
    const { dir, spec } = workspace();
    expect(aespec(["train", spec, "--backend", "gpu"], dir).status).toBe(2);
    const r = aespec(["train", spec, "--set", "train.epochs=1", "--backend", "cpu", "--out", "elsewhere/run1"], dir);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, "elsewhere/run1/checkpoint/weights.bin"))).toBe(true);
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "stops at %s (Ctrl-C, or a kill) after the current batch, keeps the last checkpoint and exits 130",
    async (signal) => {
      const { dir, spec } = workspace();
      const child = spawn(process.execPath, [join(root, "bin/aespec.js"), "train", spec, "--set", "train.epochs=1000", "--backend", "cpu"], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: "1" },
      });
      let stdout = "";
      let sent = false;
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        // Interrupt once two epochs are done (once: a second Ctrl-C kills at once, as usual).
        if (!sent && /^epoch 2\/1000 /m.test(stdout)) {
          sent = true;
          child.kill(signal);
        }
      });
      // Should the interrupt be ignored, end the child rather than leave it training.
      const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
      clearTimeout(guard);
      expect(status).toBe(130);
      const saved = (JSON.parse(readFileSync(join(dir, "runs/linear_ae/checkpoint/checkpoint.json"), "utf8")) as { state: { epoch: number } }).state.epoch;
      expect(saved).toBeGreaterThanOrEqual(2);
      expect(stdout).toContain(`interrupted; the checkpoint of epoch ${saved} is in runs/linear_ae: continue with --resume`);
      expect(metricLines(join(dir, "runs/linear_ae"))).toHaveLength(saved);
    },
  );

  it("reports a spec it cannot train with a located error and exit 1", () => {
    const dir = tempDir("aespec-cli-");
    const r = aespec(["train", join(root, "test/golden/train/AE3102.aespec"), "--backend", "cpu", "--out", join(dir, "run")], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /AE3102\.aespec:\d+:\d+: error AE3102: the contractive term is not supported by the TensorFlow\.js target with the encoder's batchnorm/,
    );
    expect(existsSync(join(dir, "run"))).toBe(false);
  });
});
