/**
 * AE3108, codebook collapse: below 5% perplexity as before, and now also when
 * more than half the codes went unused in the epoch (a 64-code book with 49
 * dead codes and perplexity 3.6 was not warned: 3.6 is just above 5% of 64).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../src/compile.js";
import { codebookCollapsed, codebookCollapseWarning } from "../../../../src/target/collapse-warnings.js";

const stats = (perplexity: number, codes: number, codesUsed: number) => ({ perplexity, codes, codesUsed });

describe("the codebook collapse warning", () => {
  it("fires on more than half the codes unused, even above the perplexity threshold", () => {
    expect(codebookCollapsed(stats(3.63, 64, 15))).toBe(true);
    expect(codebookCollapsed(stats(3.63, 64, 40))).toBe(false);
    expect(codebookCollapsed(stats(3.0, 64, 40))).toBe(true); // the perplexity rule
    expect(codebookCollapsed(stats(223.6, 512, 475))).toBe(false); // specs/vqvae after 1 epoch
    expect(codebookCollapsed(stats(20, 64, 32))).toBe(false); // exactly half used: not more than half unused
  });

  it("says which rule fired", () => {
    const c = compile("model m {\n  input: [4]\n  bottleneck: vq(codes: 64, dim: 2)\n  decoder { dense(4) }\n  loss { reconstruction(mse) commitment() }\n}\n");
    if (!c.ok) throw new Error("spec");
    const ir = c.models[0]!;
    expect(codebookCollapseWarning(ir, 3, stats(3.63, 64, 15)).message).toBe(
      "codebook collapse at epoch 3: 49 of 64 codes unused in the epoch (perplexity 3.6; over half the codebook dead)",
    );
    expect(codebookCollapseWarning(ir, 3, stats(3.0, 64, 40)).message).toBe(
      "codebook collapse at epoch 3: perplexity 3.0 of 64 codes (40 used; below 5% of the codebook)",
    );
  });
});
