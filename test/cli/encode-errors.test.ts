import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aespec } from "./run-cli.js";
import { tempDir } from "../support/temp-dir.js";

/** encode's errors about a data file point into the data file, never at a line of the run's spec. */
const dir = tempDir("aespec-encode-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = join(dir, "lin.aespec");
const run = join(dir, "run");

beforeAll(() => {
  writeFileSync(
    spec,
    "model lin {\n  input: [4]\n  bottleneck: deterministic(2)\n  decoder { dense(4) }\n  train { data: lowrank(dim: 4, rank: 2, count: 64)  epochs: 1 }\n}\n",
  );
  const r = aespec(["train", spec, "--out", run]);
  if (r.status !== 0) throw new Error(r.stderr);
});

describe("aespec encode on a malformed data file", () => {
  it.each([
    ["bad.npy", "garbage, not an NPY file at all", /^.*bad\.npy: error AE3002: not an NPY file: expected the magic string .* at byte 0$/m],
    ["bad.csv", "1,2,3,4\n1,2,x,4\n", /^.*bad\.csv: error AE3004: expected a number at line 2:5, found 'x'$/m],
  ])("%s: the data file's own place in the message, and no excerpt of the spec", (name, content, line) => {
    const data = join(dir, name);
    writeFileSync(data, content);
    const r = aespec(["encode", run, "--data", data, "-o", join(dir, "codes.npy")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(line);
    expect(r.stderr).not.toMatch(/^\s*\d+ \|/m);
    expect(r.stderr).not.toContain("model lin");
  });

  it("a shape mismatch still shows the spec's input line, at the spec's own name", () => {
    const data = join(dir, "narrow.csv");
    writeFileSync(data, "1,2,3\n");
    const r = aespec(["encode", run, "--data", data, "-o", join(dir, "codes.npy")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/lin\.aespec:2:10: error AE3204/);
    expect(r.stderr).toContain("2 |   input: [4]");
  });
});
