import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aespec } from "./run-cli.js";
import { tempDir } from "../support/temp-dir.js";

const specs = ["specs/linear.aespec", "specs/deep.aespec", "specs/vae.aespec", "specs/adversarial.aespec", "specs/vqvae.aespec"];

describe("aespec check", () => {
  it("passes the model zoo with exit 0", () => {
    const r = aespec(["check", ...specs]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/specs\/vae\.aespec: ok \(3 models: vae, beta_vae, ladder_vae\)/);
  });

  it("exits 1 with a rustc-style located error", () => {
    const r = aespec(["check", "test/fixtures/language/bad_shape.aespec"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^test\/fixtures\/language\/bad_shape\.aespec:4:\d+: error AE2301: /m);
    expect(r.stderr).toMatch(/\n4 \| {3}decoder \{ dense\(512\) relu \}/);
    expect(r.stderr).toMatch(/\n {2}\| +\^+/);
  });

  it("exits 0 on warnings only, and prints them", () => {
    const r = aespec(["check", "test/fixtures/language/identity_risk.aespec"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning AE2701/);
  });

  it("gives machine-readable diagnostics with --format json", () => {
    const r = aespec(["check", "--format", "json", "test/fixtures/language/bad_kl.aespec"]);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { ok: boolean; files: { diagnostics: { code: string; line: number; col: number }[] }[] };
    expect(j.ok).toBe(false);
    expect(j.files[0]!.diagnostics.map((d) => [d.code, d.line])).toEqual([["AE2401", 5]]);
  });

  it("applies --set overrides and locates their errors in the option", () => {
    const ok = aespec(["check", "specs/vae.aespec", "--set", "loss.kl.beta=2", "--set", "train.epochs=2"]);
    expect(ok.status).toBe(0);
    const bad = aespec(["check", "specs/vae.aespec", "--set", "train.epochs=many"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/<--set 1>:1:\d+: error AE2\d+: .*train\.epochs/);
  });

  it("reports a missing file and unknown options (usage: exit 2)", () => {
    expect(aespec(["check", "nope.aespec"]).status).toBe(1);
    expect(aespec(["check", "--frobnicate", "specs/vae.aespec"]).status).toBe(2);
    expect(aespec(["check"]).status).toBe(2);
    expect(aespec(["--version"]).status).toBe(0);
  });
});

describe("aespec summary and compile", () => {
  it("prints the layer table of one model", () => {
    const r = aespec(["summary", "specs/vae.aespec", "--model", "vae"]);
    expect(r.status).toBe(0);
    // 784*512+512 = 401,920 parameters in the first dense layer, by hand
    expect(r.stdout).toMatch(/encoder\s+dense\(512\)\s+\[512\]\s+401,920/);
    expect(r.stdout).toMatch(/bottleneck\s+gaussian\(16\)\s+\[16\]\s+8,224/);
  });

  it("says the optimizer's arguments that are not defaults, the schedule and the init", () => {
    const dir = tempDir("aespec-summary-");
    const file = join(dir, "m.aespec");
    writeFileSync(
      file,
      `model m {
  input: [4]
  bottleneck: deterministic(2)
  decoder { dense(4) }
  loss { reconstruction(mse) }
  train { optimizer: adam(lr: 1e-3, epsilon: 1e-7) schedule: cosine(min: 1e-5, warmup: 1) init: he }
}
`,
    );
    const r = aespec(["summary", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("adam(lr: 0.001, epsilon: 1e-7), schedule cosine(min: 0.00001, warmup: 1),");
    expect(r.stdout).toContain("init he");
    // The defaults (epsilon 1e-8, a constant rate) say nothing more than adam(lr: ...).
    const plain = aespec(["summary", "specs/vae.aespec", "--model", "vae"]);
    expect(plain.stdout).toContain("train:  mnist, adam(lr: 0.001), batch 128, 30 epochs, seed 7, init torch");
  });

  it("needs --model when a file declares several (exit 2)", () => {
    const r = aespec(["summary", "specs/vae.aespec"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/3 models \(vae, beta_vae, ladder_vae\): pick one with --model/);
    const unknown = aespec(["summary", "specs/vae.aespec", "--model", "vea"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/AE2009.*\n[\s\S]*did you mean 'vae'/);
  });

  it("writes the IR to a file atomically, and refuses a folder that does not exist (no crash)", () => {
    const dir = tempDir("aespec-ir-");
    const ok = aespec(["compile", "specs/linear.aespec", "--emit", "ir", "-o", join(dir, "ir.json")]);
    expect(ok.status).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, "ir.json"), "utf8")) as { name: string }).name).toBe("linear_ae");
    const bad = aespec(["compile", "specs/linear.aespec", "--emit", "ir", "-o", join(dir, "missing", "ir.json")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error AE3205: cannot write '.*ir\.json': the folder '.*missing' does not exist/);
  });

  it("emits the IR as JSON", () => {
    const r = aespec(["compile", "specs/linear.aespec", "--emit", "ir"]);
    expect(r.status).toBe(0);
    const ir = JSON.parse(r.stdout) as { name: string; bottleneck: { latentShape: number[] }; totals: { parameters: number } };
    expect(ir.name).toBe("linear_ae");
    expect(ir.bottleneck.latentShape).toEqual([8]);
    expect(ir.totals.parameters).toBe(64 * 8 + 8 + 8 * 64 + 64);
  });
});

describe("aespec fmt", () => {
  it("leaves the model zoo as it is (it is kept formatted)", () => {
    const r = aespec(["fmt", "--check", ...specs]);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });

  it("rewrites a messy file with --write, and a second run changes nothing", () => {
    const dir = tempDir("aespec-fmt-");
    const f = join(dir, "m.aespec");
    writeFileSync(f, "model m{input:[4] bottleneck:deterministic( 2 )  decoder{dense(4)}}\n");
    expect(aespec(["fmt", "--check", f]).status).toBe(1);
    expect(aespec(["fmt", "--write", f]).status).toBe(0);
    const once = readFileSync(f, "utf8");
    expect(once).toContain("bottleneck: deterministic(2)");
    expect(aespec(["fmt", "--check", f]).status).toBe(0);
    copyFileSync(f, f + ".bak");
    expect(aespec(["fmt", "--write", f]).status).toBe(0);
    expect(readFileSync(f, "utf8")).toBe(once);
  });

  it("never rewrites a file with syntax errors", () => {
    const dir = tempDir("aespec-fmt-");
    const f = join(dir, "bad.aespec");
    const text = "model m { input: [4 }\n";
    writeFileSync(f, text);
    const r = aespec(["fmt", "--write", f]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error AE10/);
    expect(readFileSync(f, "utf8")).toBe(text);
  });
});
