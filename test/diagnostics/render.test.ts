import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { renderDiagnostics, visible } from "../../src/diagnostics/render.js";

/** A spec holding terminal escape bytes must not drive the terminal through its diagnostics. */
describe("rendering control characters", () => {
  it("every C0 and C1 control, DEL and bidirectional override becomes one visible character", () => {
    const controls = [...Array(0x20).keys(), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i), 0x202e, 0x2066]
      .map((c) => String.fromCharCode(c))
      .join("");
    const shown = visible(controls);
    expect(shown).toHaveLength(controls.length);
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(visible("a\u001b[31mb")).toBe("a\u241b[31mb");
    expect(visible("plain text, é and ü")).toBe("plain text, é and ü");
  });

  it("a spec line with an escape sequence: the excerpt, the message and the file name show it, the carets stay aligned", () => {
    const text = 'model m {\n  input: [4]\n  bottleneck: deterministic(2)\n  decoder { dense(4) }\n  train { data: "x\u001b[2Jy.npy" }\n}\n';
    const c = compile(text, { file: "esc.aespec", baseDir: "/nonexistent" });
    const out = renderDiagnostics(c.diagnostics, c.sources);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(out).toContain('train { data: "x\u241b[2Jy.npy" }');
    const lines = out.split("\n");
    const row = lines.findIndex((l) => l.includes('data: "x'));
    const carets = lines[row + 1]!;
    expect(carets.indexOf("^")).toBe(lines[row]!.indexOf('"x'));
    expect(carets.trim().replace("|", "").trim()).toBe("^".repeat('"x\u001b[2Jy.npy"'.length));
  });
});
