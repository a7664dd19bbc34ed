/**
 * Targets as plug-ins, seen from the command line: a skeleton target given
 * in the table (no CLI file knows it) is listed, its option appears on the
 * commands it serves, `check --target` reports what it cannot run at the
 * spec's place, and `train` refuses cleanly (exit 1, located errors, nothing
 * trained) without ever loading an engine. The real table's targets are
 * listed and answer `check --target` on every spec.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTargets, main } from "../../src/cli/main.js";
import { diag } from "../../src/diagnostics/diagnostic.js";
import type { Target, TrainRequest } from "../../src/target/target.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";
import { writeFileSync } from "node:fs";

const SPEC = `model ae {
  input: [8]
  encoder { dense(4) relu }
  bottleneck: gaussian(2)
  decoder { dense(8) }
  loss { reconstruction(mse) kl() }
  train { data: lowrank(dim: 8, rank: 2, count: 64) epochs: 1 }
}
`;

/** Trains nothing; cannot run a gaussian bottleneck, and says where. */
function skeleton(calls: TrainRequest[]): Target {
  return {
    name: "skeleton",
    description: "a stub that trains nothing",
    options: [{ flag: "--queue <name>", description: "where it would run", choices: ["local", "remote"], commands: ["train"] }],
    async unsupported(ir) {
      return ir.bottleneck.kind === "gaussian"
        ? [diag("AE3102", `the skeleton target cannot run a gaussian bottleneck`, ir.bottleneck.span, { hint: "use --target tfjs" })]
        : [];
    },
    async train(_ir, request) {
      calls.push(request);
      return { status: "refused", errors: [diag("AE3102", "the skeleton target trains nothing", _ir.span)], epochs: 0, resultEpoch: 0 };
    },
  };
}

function specFile(text = SPEC): string {
  const f = join(tempDir("aespec-targets-"), "ae.aespec");
  writeFileSync(f, text);
  return f;
}

describe("a target added to the table only", () => {
  it("is listed with what it runs and its option", async () => {
    const { io, out } = captureIo();
    expect(await main(["targets"], io, [...(await loadTargets()), skeleton([])])).toBe(0);
    const text = out.join("");
    expect(text).toMatch(/^skeleton: a stub that trains nothing\n {2}runs: train\n {2}--queue <name>: where it would run \(local, remote\); on train$/m);
    expect(text).toMatch(/^tfjs: .*\n {2}runs: train \(default\), eval \(default\), report \(default\)$/m);
    expect(text).toMatch(/^onnx: .*\n {2}runs: eval, report, export \(default\), encode \(default\)$/m);
  });

  it("appears in `train --help`: --target's choices and its own option", async () => {
    const { io, out } = captureIo();
    expect(await main(["train", "--help"], io, [...(await loadTargets()), skeleton([])])).toBe(0);
    const help = out.join("").replace(/\s+/g, " ");
    expect(help).toMatch(/--target <name> the target that runs it \(default: tfjs\) \(choices: "tfjs", "pytorch", "skeleton"\)/);
    expect(help).toMatch(/--queue <name> where it would run \[skeleton\] \(choices: "local", "remote"\)/);
    expect(help).toMatch(/--backend <name> force a TensorFlow.js backend \(default: the fastest that loads\) \[tfjs\]/);
  });

  it("`check --target` reports what it cannot run, located, and fails; without it the spec checks clean", async () => {
    const file = specFile();
    const targets = [...(await loadTargets()), skeleton([])];
    const plain = captureIo();
    expect(await main(["check", file], plain.io, targets)).toBe(0);
    const withTarget = captureIo();
    expect(await main(["check", file, "--target", "skeleton"], withTarget.io, targets)).toBe(1);
    const text = withTarget.out.join("") + withTarget.err.join("");
    expect(text).toMatch(/error AE3102: the skeleton target cannot run a gaussian bottleneck/);
    expect(text).toMatch(/ae\.aespec:4:15/);
    expect(text).toMatch(/bottleneck: gaussian\(2\)\n.*\^{11}/);
    const json = captureIo();
    expect(await main(["check", file, "--target", "skeleton", "--format", "json"], json.io, targets)).toBe(1);
    const parsed = JSON.parse(json.out.join("")) as { ok: boolean; files: { diagnostics: { code: string }[] }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.files[0]!.diagnostics.map((d) => d.code)).toEqual(["AE3102"]);
  });

  it("`train --target` refuses cleanly what it cannot run, before it trains anything", async () => {
    const calls: TrainRequest[] = [];
    const { io, out, err } = captureIo();
    const outDir = join(tempDir("aespec-targets-"), "run");
    expect(await main(["train", specFile(), "--target", "skeleton", "--out", outDir], io, [...(await loadTargets()), skeleton(calls)])).toBe(1);
    expect(calls).toEqual([]);
    expect(err.join("")).toMatch(/error AE3102: the skeleton target cannot run a gaussian bottleneck/);
    expect(out.join("")).not.toMatch(/backend/);
    expect(readdirSync(join(outDir, ".."))).toEqual([]);
  });

  it("gets its own option's value, and a model it accepts; another target's option is a usage error", async () => {
    const calls: TrainRequest[] = [];
    const targets = [...(await loadTargets()), skeleton(calls)];
    const file = specFile(SPEC.replace("gaussian(2)", "deterministic(2)").replace(" kl()", ""));
    const run = captureIo();
    expect(await main(["train", file, "--target", "skeleton", "--queue", "remote"], run.io, targets)).toBe(1);
    expect(calls.map((c) => c.options)).toEqual([{ queue: "remote" }]);
    expect(run.err.join("")).toMatch(/error AE3102: the skeleton target trains nothing/);
    const mixed = captureIo();
    expect(await main(["train", file, "--target", "skeleton", "--backend", "cpu"], mixed.io, targets)).toBe(2);
    expect(mixed.err.join("")).toBe("error: --backend is an option of target 'tfjs', not of 'skeleton'\n");
    expect(calls.length).toBe(1);
  });
});

describe("the real table", () => {
  it("answers `check --target` for every target on every spec (they can run them all)", async () => {
    const specs = readdirSync(join(import.meta.dirname, "../../specs"))
      .filter((f) => f.endsWith(".aespec"))
      .map((f) => join(import.meta.dirname, "../../specs", f));
    for (const name of ["tfjs", "onnx"]) {
      const { io, out, err } = captureIo();
      expect(await main(["check", ...specs, "--target", name], io), `${name}: ${err.join("")}`).toBe(0);
      expect(out.join("")).toMatch(/ok/);
    }
  });

  it("`check --target pytorch` reports, located, the specs' models it cannot train yet (ladder, adversarial) and passes the rest", async () => {
    const specs = join(import.meta.dirname, "../../specs");
    const verdict = async (file: string) => {
      const { io, out, err } = captureIo();
      const code = await main(["check", join(specs, file), "--target", "pytorch"], io);
      return { code, text: out.join("") + err.join("") };
    };
    // deep.aespec's contractive model trains on PyTorch too (autograd's Jacobian).
    for (const file of ["linear.aespec", "vqvae.aespec", "deep.aespec"]) expect((await verdict(file)).code, file).toBe(0);
    const refused: [string, RegExp[]][] = [
      ["adversarial.aespec", [/adversarial\.aespec:20:5: error AE3102: the adversarial term is not supported by the PyTorch target yet/]],
      [
        "vae.aespec",
        [
          /vae\.aespec:45:15: error AE3102: a ladder bottleneck is not supported/,
          /vae\.aespec:19:5: error AE3102: kl with a ladder bottleneck is not supported/,
        ],
      ],
    ];
    for (const [file, patterns] of refused) {
      const v = await verdict(file);
      expect(v.code, file).toBe(1);
      for (const p of patterns) expect(v.text).toMatch(p);
      expect(v.text.match(/error AE/g)?.length, file).toBe(patterns.length);
    }
  });

  it("`check --target tfjs` reports what tfjs cannot train: a contractive term on a conv encoder", async () => {
    const file = specFile(`model c {
  input: [8, 8, 1]
  encoder { conv(2, kernel: 3) flatten }
  bottleneck: deterministic(2)
  decoder { dense(64) reshape([8, 8, 1]) }
  loss { reconstruction(mse) contractive(weight: 0.1) }
}
`);
    const plain = captureIo();
    expect(await main(["check", file], plain.io)).toBe(0);
    const { io, err, out } = captureIo();
    expect(await main(["check", file, "--target", "tfjs"], io)).toBe(1);
    expect(err.join("") + out.join("")).toMatch(/error AE3102/);
  });
});
