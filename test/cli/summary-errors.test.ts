import { describe, expect, it } from "vitest";
import { aespec } from "./run-cli.js";

/** summary of a model with a shape error: the errors, then the table as far as the checker got. */
describe("aespec summary on a model with errors", () => {
  it("a layer that fails: every layer before it, then it, marked; nothing after it; exit 1", () => {
    const r = aespec(["summary", "test/fixtures/summary/bad-reshape.aespec"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error AE2304: reshape to [9, 9, 1] needs 81 elements");
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("encoder") || l.startsWith("decoder") || l.startsWith("bottleneck"));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["encoder", "conv(8, kernel: 3, stride: 2)", "[14, 14, 8]"],
      ["encoder", "relu", "[14, 14, 8]"],
      ["encoder", "flatten", "[1568]"],
      ["encoder", "dense(64)", "[64]"],
      ["encoder", "reshape([9, 9, 1])", "error (above)"],
    ]);
  });

  it("a final shape mismatch (AE2301): the whole table, and the error names where the strides stop dividing", () => {
    const r = aespec(["summary", "test/fixtures/summary/uneven-strides.aespec"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error AE2301: decoder gives [32, 32, 1], input is [28, 28, 1]");
    expect(r.stderr).toMatch(
      /uneven-strides\.aespec:6:5: note: 7 -> 4 here: stride 2 with padding same rounds 7 \/ 2 up, and a stride-2 deconv gives back 8, not 7/,
    );
    expect(r.stderr).toContain("hint: the spatial sizes go encoder 28 -> 14 -> 7 -> 4, decoder 4 -> 8 -> 16 -> 32");
    expect(r.stderr).not.toContain("for a vector latent");
    expect(r.stdout).toMatch(/^decoder\s+sigmoid\s+\[32, 32, 1\]/m);
    expect(r.stdout.split("\n").filter((l) => /^(encoder|bottleneck|decoder) /.test(l))).toHaveLength(13);
  });
});
