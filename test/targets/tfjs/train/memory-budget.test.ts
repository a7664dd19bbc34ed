import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../../../src/compile.js";
import { memoryError, WASM_MEMORY_BYTES } from "../../../../targets/tfjs/train/memory-budget.js";
import { aespec, root } from "../../../cli/run-cli.js";
import { irOf } from "./helpers.js";
import { tempDir } from "../../../support/temp-dir.js";

/** Models the checker accepts but the wasm backend's 4 GiB cannot train: refused before allocation, at the op that costs most. */
const WASM = { name: "the wasm backend (WebAssembly memory)", bytes: WASM_MEMORY_BYTES };
const model = (body: string) =>
  `model m {\n${body}\n  train { data: ${body.includes("[20000]") ? "lowrank(dim: 20000, rank: 2, count: 10)" : "mnist"}  batch: 128 }\n}\n`;

describe("the tfjs target's memory budget", () => {
  it.each([
    ["4e8 parameters in one dense layer", "  input: [20000]\n  bottleneck: deterministic(20000)\n  decoder { dense(20000) }", "deterministic(20000)"],
    [
      "vq(codes: 1e8, dim: 8)",
      "  input: [28, 28, 1]\n  encoder { flatten }\n  bottleneck: vq(codes: 1e8, dim: 8)\n  decoder { dense(784) reshape([28, 28, 1]) }",
      "vq(codes: 1e8, dim: 8)",
    ],
    [
      "two conv(4096) on 28x28",
      "  input: [28, 28, 1]\n  encoder { conv(4096) relu conv(4096) relu }\n  bottleneck: deterministic(1)\n  decoder { conv(1) }",
      "conv(4096)",
    ],
  ])("%s: AE3111 naming the limit, at the op that costs the most", (_, body, at) => {
    const ir = irOf(model(body));
    const d = memoryError(ir, WASM);
    expect(d?.code).toBe("AE3111");
    expect(d!.message).toMatch(/^training needs about .* and the wasm backend \(WebAssembly memory\) holds at most 4\.0 GiB$/);
    expect(model(body).slice(d!.span.start, d!.span.end)).toContain(at);
  });

  it("every model of the zoo fits the wasm backend", () => {
    for (const f of ["linear", "deep", "vae", "adversarial", "vqvae"]) {
      for (const ir of compileFile(join(root, "specs", `${f}.aespec`)).models) expect(memoryError(ir, WASM), ir.name).toBeNull();
    }
  });

  it("aespec train refuses it at once on wasm and creates nothing; --iwae-k 1e9 and lowrank(count: 16777216) are refused too", () => {
    const dir = tempDir("aespec-memory-");
    const r = aespec(["train", "test/fixtures/memory/vq-1e8.aespec", "--out", join(dir, "run"), "--backend", "wasm"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/vq-1e8\.aespec:4:15: error AE3111: training needs about .* the wasm backend/);
    expect(existsSync(join(dir, "run"))).toBe(false);
    const k = aespec(["eval", dir, "--iwae-k", "1000000000"]);
    expect(k.status).toBe(2);
    expect(k.stderr).toContain("expected a whole number from 1 to 10000");
    const big = aespec(["train", "test/fixtures/memory/lowrank-huge.aespec", "--out", join(dir, "run2"), "--backend", "cpu"]);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(/error AE2108: the generated set would hold 1073741824 values \(at most 268435456\)/);
    expect(existsSync(join(dir, "run2"))).toBe(false);
  });
});
