import { cpSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aespec } from "./run-cli.js";
import { tempDir } from "../support/temp-dir.js";

/**
 * A damaged run directory gets a located AE3xxx error from every command that
 * reads it, never a JavaScript message or a stack trace, and is never used as
 * if it were whole (an edited IR would export a different model).
 */
const dir = tempDir("aespec-damaged-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trained = join(dir, "trained");
const data = join(dir, "x.csv");

beforeAll(() => {
  const spec = join(dir, "m.aespec");
  writeFileSync(
    spec,
    "model m {\n  input: [4]\n  encoder { dense(3) relu }\n  bottleneck: deterministic(2)\n  decoder { dense(4) }\n  train { data: lowrank(dim: 4, rank: 2, count: 64)  epochs: 1 }\n}\n",
  );
  writeFileSync(data, "0.1,0.2,0.3,0.4\n");
  const r = aespec(["train", spec, "--out", trained]);
  if (r.status !== 0) throw new Error(r.stderr);
});

type Damage = (run: string) => void;
const edit =
  (file: string, f: (text: string) => string): Damage =>
  (run) =>
    writeFileSync(join(run, file), f(readFileSync(join(run, file), "utf8")));

const DAMAGES: Record<string, [Damage, RegExp]> = {
  "ir.json edited, its hash kept (relu -> tanh)": [
    edit("ir.json", (t) => t.replace('"fn": "relu"', '"fn": "tanh"')),
    /ir\.json was edited: its content does not match its hash/,
  ],
  "ir.json without train.seed": [edit("ir.json", (t) => t.replace(/"seed": \d+,?/, "")), /ir\.json is damaged: its train settings lack the seed/],
  "ir.json not JSON": [edit("ir.json", (t) => t.slice(0, 40)), /ir\.json is not valid JSON/],
  "no weights.bin": [(run) => unlinkSync(join(run, "checkpoint", "weights.bin")), /weights\.bin cannot be read: no such file/],
  "weights.bin truncated": [(run) => truncateSync(join(run, "checkpoint", "weights.bin"), 10), /weights\.bin is damaged: 10 bytes/],
  "checkpoint.json garbage": [(run) => writeFileSync(join(run, "checkpoint", "checkpoint.json"), "{oops"), /checkpoint\.json cannot be read/],
};

const COMMANDS: Record<string, (run: string) => string[]> = {
  eval: (run) => ["eval", run],
  export: (run) => ["export", run, "--part", "encoder", "-o", join(dir, "e.onnx")],
  encode: (run) => ["encode", run, "--data", data, "-o", join(dir, "codes.npy")],
  report: (run) => ["report", run],
};

let copies = 0;
function damaged(damage: Damage): string {
  const run = join(dir, `copy${copies++}`);
  cpSync(trained, run, { recursive: true });
  damage(run);
  return run;
}

describe("commands on a damaged run directory", () => {
  const cases = Object.entries(DAMAGES).flatMap(([what, [damage, why]]) =>
    Object.keys(COMMANDS)
      // Every command on the edited IR and the missing weights; eval and export on the rest (they share the readers).
      .filter((c) => what.startsWith("ir.json edited") || what === "no weights.bin" || c === "eval" || c === "export")
      .map((command) => [command, what, damage, why] as const),
  );
  it.each(cases)("%s, %s: a located AE3xxx error, exit 1, no stack", (command, _what, damage, why) => {
    const r = aespec(COMMANDS[command]!(damaged(damage)));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/: error AE3\d{3}: /);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).not.toMatch(/TypeError|ReferenceError|RangeError|ENOENT|\n\s+at /);
  });

  it("report: a metrics.jsonl line lacking fields is named and left out, the report is still written", () => {
    const run = damaged(
      edit("metrics.jsonl", (t) => t + '{"epoch": 2, "steps": 1, "examples": 1, "seconds": 1, "examplesPerSecond": 1, "train": {"total": 1}}\n'),
    );
    const r = aespec(["report", run]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(run, "report.html"), "utf8");
    expect(html).toContain("line 2: train has no terms");
  });
});
