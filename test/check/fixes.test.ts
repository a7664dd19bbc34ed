import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../support/capture-io.js";
import { tempDir } from "../support/temp-dir.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** The fixes a diagnostic states: applied to the text, the mistake is gone. */
function applyFirstFix(text: string, d: Diagnostic): string {
  const edits = [...d.fixes![0]!.edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);
}

const base = (encoder: string, extra = "") =>
  `model m {\n  input: [8]\n  encoder { ${encoder} }\n  bottleneck: gaussian(2)\n  decoder { dense(8) }\n  loss { reconstruction(mse) kl() }${extra}\n}\n`;

describe("fixes stated by the checker", () => {
  it.each([
    ["an unknown layer", base("dens(4) relu"), "AE2101", "replace 'dens' with 'dense'"],
    [
      "an argument misspelt",
      base("conv(4, kernal: 3)").replace("[8]", "[8, 8, 1]").replace("dense(8)", "dense(1)"),
      "AE2102",
      "replace 'kernal' with 'kernel'",
    ],
    ["a setting misspelt", base("dense(4)", "\n  train { epoch: 2 }"), "AE2101", "replace 'epoch' with 'epochs'"],
    ["a name in a value", "let width = 4\n" + base("dense(widht)"), "AE2003", "replace 'widht' with 'width'"],
    ["an unknown base", base("dense(4)") + "model n extends mm { }\n", "AE2005", "replace 'mm' with 'm'"],
  ])("%s: %s", (_what, text, code, title) => {
    const d = compile(text).diagnostics.find((x) => x.code === code)!;
    expect(d.fixes?.map((f) => f.title)).toEqual([title]);
    const fixed = compile(applyFirstFix(text, d));
    expect(fixed.diagnostics.filter((x) => x.code === code)).toEqual([]);
  });

  it("no fix where nothing is close (the hint lists the choices instead)", () => {
    const d = compile(base("zzzzzz(4)")).diagnostics.find((x) => x.code === "AE2101")!;
    expect(d.fixes).toBeUndefined();
    expect(d.hint).toMatch(/^layers: /);
  });

  it("flatten before a discriminator that reads a latent map with vector layers", () => {
    const text = `model m {
  input: [8, 8, 1]
  encoder { conv(4) }
  bottleneck: deterministic(2)
  decoder { conv(1) }
  loss { reconstruction(mse) adversarial(weight: 1) { dense(16) relu dense(1) } }
}
`;
    const d = compile(text).diagnostics.find((x) => x.code === "AE2309")!;
    expect(d.fixes?.[0]?.title).toBe("insert flatten before the discriminator's first layer");
    const fixed = applyFirstFix(text, d);
    expect(fixed).toContain("{ flatten dense(16) relu dense(1) }");
    expect(compile(fixed).ok).toBe(true);
    // A discriminator with a conv is not fixed so: no fix offered.
    const conv = compile(text.replace("{ dense(16) relu dense(1) }", "{ conv(4) dense(1) }")).diagnostics.find((x) => x.code === "AE2309")!;
    expect(conv.fixes).toBeUndefined();
  });

  it("check --format json carries the fixes with their places", async () => {
    const dir = tempDir("aespec-fixes-");
    const file = join(dir, "m.aespec");
    writeFileSync(file, base("dens(4)"));
    const cap = captureIo();
    expect(await main(["check", file, "--format", "json"], cap.io)).toBe(1);
    const json = JSON.parse(cap.out.join("")) as {
      files: { diagnostics: { fixes?: { title: string; edits: { line: number; col: number; text: string }[] }[] }[] }[];
    };
    expect(json.files[0]!.diagnostics[0]!.fixes).toEqual([
      { title: "replace 'dens' with 'dense'", edits: [expect.objectContaining({ line: 3, col: 13, endLine: 3, endCol: 17, text: "dense" })] },
    ]);
  });
});
