/**
 * The command line's help and its answers to common mistakes (issue 16):
 * required options say so, `compile` emits the IR by default, a train
 * setting given as an option points at --set, a spec given where a run
 * belongs says to train it first, `check FOLDER` checks the folder's specs,
 * and an unquoted file name in --set gets the quoting it needs.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES } from "../../src/cli/examples.js";
import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "../support/language-reference.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";

const SPEC = `model m {
  input: [4]
  bottleneck: deterministic(2)
  decoder { dense(4) }
  loss { reconstruction(mse) }
  train { data: lowrank(dim: 4, rank: 2, count: 16) }
}
`;

function specFile(dir = tempDir("aespec-hints-"), name = "m.aespec", text = SPEC): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const { io, out, err } = captureIo();
  const status = await main(args, io);
  return { status, out: out.join(""), err: err.join("") };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ");

describe("help", () => {
  it("marks the required options as required", async () => {
    expect(oneLine((await run(["export", "--help"])).out)).toMatch(/--part <part> which part \(required\)/);
    expect(oneLine((await run(["export", "--help"])).out)).toMatch(/-o, --output <file> the file to write, its folder existing \(required\)/);
    expect(oneLine((await run(["encode", "--help"])).out)).toMatch(/--data <file> .* \(required\)/);
    expect(oneLine((await run(["data", "--help"])).out)).toMatch(/-o, --output <dir> .* \(required\)/);
    expect(oneLine((await run(["encode", "--help"])).out)).toMatch(/a ladder's bottom-level posterior mean/);
  });

  it("gives every command an example or two, each of its own command", async () => {
    const { io, out } = captureIo();
    await main(["--help"], io);
    const commands = [...out.join("").matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== "help");
    expect(commands.length).toBeGreaterThanOrEqual(11);
    for (const c of commands) {
      const help = (await run([c, "--help"])).out;
      expect(help, c).toMatch(new RegExp(`\\nExamples:\\n( {2}\\$ aespec ${c}( .*)?\\n)+`));
    }
  });

  it("the examples of the commands that read only specs run clean from the repository's folder", async () => {
    // Shell words: single quotes kept together; a trailing comment dropped; globs expanded by listing specs/.
    const words = (line: string) => [...line.replace(/\s+#.*$/, "").matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const specs = readdirSync(join(REPO_ROOT, "specs"))
      .filter((f) => f.endsWith(".aespec"))
      .map((f) => `specs/${f}`);
    for (const c of ["check", "summary", "fmt"]) {
      for (const line of EXAMPLES[c]!) {
        const args = words(line)
          .slice(1)
          .flatMap((w) => (w === "specs/*.aespec" ? specs : [w]));
        const cwd = process.cwd();
        process.chdir(REPO_ROOT);
        try {
          const r = await run(args);
          expect(r.status, `${line}: ${r.err}`).toBe(0);
        } finally {
          process.chdir(cwd);
        }
      }
    }
  });

  it("compile emits the IR without --emit", async () => {
    const r = await run(["compile", specFile()]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.out) as { kind: string }).kind).toBe("Model");
  });
});

describe("mistakes that get a hint", () => {
  it("a train setting given as an option points at --set", async () => {
    const r = await run(["train", specFile(), "--epochs", "2"]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/unknown option '--epochs'/);
    expect(r.err).toMatch(/hint: a spec's train settings are set with --set: --set train\.epochs=VALUE/);
    const other = await run(["train", specFile(), "--frobnicate"]);
    expect(other.err).not.toMatch(/hint: a spec's train settings/);
  });

  it("a spec given where a run belongs says to train it first, on eval, report, export and encode", async () => {
    const spec = specFile();
    for (const args of [
      ["eval", spec],
      ["report", spec],
      ["export", spec, "--part", "encoder", "-o", join(tempDir("aespec-hints-"), "e.onnx")],
      ["encode", spec, "--data", spec, "-o", join(tempDir("aespec-hints-"), "c.npy")],
    ]) {
      const r = await run(args);
      expect(r.status, args[0]).toBe(1);
      expect(r.err, args[0]).toMatch(/it is a spec, not a run directory: train it first \(`aespec train .*m\.aespec --out runs\/NAME`\), then give runs\/NAME/);
    }
  });

  it("check FOLDER checks the folder's .aespec files; a folder without any says so", async () => {
    const dir = tempDir("aespec-hints-");
    specFile(dir, "a.aespec");
    specFile(dir, "b.aespec", SPEC.replace("dense(4)", "dense(5)"));
    writeFileSync(join(dir, "notes.txt"), "not a spec");
    const r = await run(["check", dir]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/a\.aespec: ok/);
    expect(r.out + r.err).toMatch(/b\.aespec.*error/);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const e = await run(["check", empty]);
    expect(e.status).toBe(1);
    expect(e.err).toMatch(/holds no \.aespec file/);
  });

  it("a forced backend that does not start is a coded error with its fix", async () => {
    const r = await run(["train", specFile(), "--backend", "tensorflow"]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/error AE3112: backend 'tensorflow' is not available: @tensorflow\/tfjs-node is not installed/);
    expect(r.err).toMatch(/hint: install @tensorflow\/tfjs-node .*; or leave out --backend/);
    const e = await run(["eval", tempDir("aespec-hints-"), "--backend", "tensorflow"]);
    expect(e.err).toMatch(/error AE3112/);
  });

  it("an unquoted file name in --set gets the quoting it needs", async () => {
    const r = await run(["check", specFile(), "--set", "train.data=x.npy"]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/--set train\.data: cannot read the value 'x\.npy'/);
    expect(r.err).toMatch(/hint: a file name is a string in double quotes, which the shell keeps inside single ones: --set 'train\.data="x\.npy"'/);
    const number = await run(["check", specFile(), "--set", "train.epochs=2.5.1"]);
    expect(number.err).not.toMatch(/a file name is a string/);
  });
});

describe("the backend line and --quiet / --verbose", () => {
  it("says in one line what runs; --verbose adds the packages and the candidates skipped; --quiet prints neither nor the epochs", async () => {
    const spec = specFile();
    const plain = await run(["train", spec, "--out", join(tempDir("aespec-hints-"), "a"), "--backend", "cpu", "--set", "train.epochs=1"]);
    expect(plain.status, plain.err).toBe(0);
    expect(plain.out).toMatch(/^backend cpu \(plain JavaScript, slow\)\n/);
    expect(plain.out).not.toMatch(/not installed|@tensorflow/);
    expect(plain.out).toMatch(/^epoch 1\/1 /m);

    const verbose = await run(["train", spec, "--out", join(tempDir("aespec-hints-"), "b"), "--verbose", "--set", "train.epochs=1"]);
    expect(verbose.status, verbose.err).toBe(0);
    expect(verbose.out).toMatch(/^backend [\w+-]+ \(.*\)\n {2}@tensorflow\/tfjs-backend-\w+ /);
    expect(verbose.out).toMatch(/^ {2}skipped tensorflow-gpu: /m);

    const quiet = await run(["train", spec, "--out", join(tempDir("aespec-hints-"), "c"), "--quiet", "--backend", "cpu", "--set", "train.epochs=1"]);
    expect(quiet.status, quiet.err).toBe(0);
    expect(quiet.out).toMatch(/^trained 1 epoch; the run is in /);
    expect(quiet.out.split("\n").filter((l) => l !== "")).toHaveLength(1);

    const both = await run(["train", spec, "--quiet", "--verbose"]);
    expect(both.status).toBe(2);
  });
});
