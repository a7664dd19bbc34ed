import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aespec } from "./run-cli.js";
import { tempDir } from "../support/temp-dir.js";

/** An output never destroys an input, a run, a special file or a folder of the user's files. */
const dir = tempDir("aespec-outputs-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SPEC =
  "model m {\n  input: [4]\n  bottleneck: deterministic(2)\n  decoder { dense(4) }\n  train { data: lowrank(dim: 4, rank: 2, count: 64)  epochs: 1 }\n}\n";
const spec = join(dir, "m.aespec");
const run = join(dir, "run");

beforeAll(() => {
  writeFileSync(spec, SPEC);
  const r = aespec(["train", spec, "--out", run]);
  if (r.status !== 0) throw new Error(r.stderr);
});

describe("outputs that would destroy inputs are refused, and the inputs stay as they were", () => {
  it("compile -o onto its own spec", () => {
    const r = aespec(["compile", spec, "--emit", "ir", "-o", spec]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error AE3205: cannot write");
    expect(r.stderr).toContain("it is an input of this command");
    expect(readFileSync(spec, "utf8")).toBe(SPEC);
  });

  it("encode -o onto its own data file, also through a link to it", () => {
    const data = join(dir, "x.csv");
    writeFileSync(data, "0.1,0.2,0.3,0.4\n");
    symlinkSync(data, join(dir, "x-link.csv"));
    for (const out of [data, join(dir, "x-link.csv")]) {
      const r = aespec(["encode", run, "--data", data, "-o", out]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain("it is an input of this command");
    }
    expect(readFileSync(data, "utf8")).toBe("0.1,0.2,0.3,0.4\n");
  });

  it("export -o into the run directory (its weights)", () => {
    const weights = join(run, "checkpoint", "weights.bin");
    const before = readFileSync(weights);
    const r = aespec(["export", run, "--part", "encoder", "-o", weights]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error AE3203: cannot write '.*weights\.bin': it is inside the run directory/);
    expect(readFileSync(weights).equals(before)).toBe(true);
  });

  it("-o onto a device node: refused, the device stays a device", () => {
    const r = aespec(["compile", spec, "--emit", "ir", "-o", "/dev/null"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("it is not a regular file");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("fmt --write on a symbolic link formats the file it names and keeps the link", () => {
    const real = join(dir, "messy.aespec");
    writeFileSync(real, "model   m { input: [4]  bottleneck: deterministic(2) decoder { dense(4) } }\n");
    const link = join(dir, "link.aespec");
    symlinkSync(real, link);
    const r = aespec(["fmt", "--write", link]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toContain("model m {\n");
  });

  it("train --out '': refused, nothing written where it runs", () => {
    const cwd = join(dir, "cwd");
    mkdirSync(cwd);
    writeFileSync(join(cwd, "m.aespec"), SPEC);
    const r = aespec(["train", "m.aespec", "--out", ""], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the run directory's path is empty");
    expect(readdirSync(cwd)).toEqual(["m.aespec"]);
  });

  it("train --out a folder of the user's files (their own ir.json among them): refused, every file as it was", () => {
    const mine = join(dir, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "ir.json"), "my notes");
    writeFileSync(join(mine, "m.aespec"), SPEC);
    const r = aespec(["train", join(mine, "m.aespec"), "--out", mine]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error AE3106: '.*mine' holds files that are not a run's \('m\.aespec'\)/);
    expect(readdirSync(mine).sort()).toEqual(["ir.json", "m.aespec"]);
    expect(readFileSync(join(mine, "ir.json"), "utf8")).toBe("my notes");
    expect(existsSync(join(mine, "lock"))).toBe(false);
  });
});
