import { describe, expect, it } from "vitest";
import { readHeader } from "../../src/data/header.js";
import { readDataFile } from "../../src/data/read-file.js";
import type { Result } from "../../src/data/result.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { tempDir, writeBytes } from "./builders.js";

const dir = tempDir();
let counter = 0;
function file(text: string): string {
  return writeBytes(dir, `f${counter++}.csv`, text);
}

function failure(r: Result<unknown>): Diagnostic {
  if (r.ok) throw new Error("expected a diagnostic");
  return r.diagnostic;
}

describe("CSV", () => {
  it("without a header", () => {
    const path = file("1,2,3\n4.5,-6e-1,+7\n");
    const r = readDataFile(path, "csv");
    expect(r.ok && [r.value.count, r.value.shape, Array.from(r.value.x)]).toEqual([2, [3], [1, 2, 3, 4.5, Math.fround(-0.6), 7]]);
    expect(r.ok && r.value.range).toEqual([Math.fround(-0.6), 7]);
    expect(readHeader(path, "csv")).toEqual({ ok: true, value: { format: "csv", dtype: "text", count: 2, shape: [3], names: null } });
  });

  it("with a header, CRLF, a byte order mark, spaces, blank lines and no final newline", () => {
    const path = file('\uFEFF"a", b ,c\r\n\r\n 1 , 2,3\r\n\n.5,6.,7e2');
    const r = readDataFile(path, "csv");
    expect(r.ok && [r.value.count, r.value.shape, Array.from(r.value.x)]).toEqual([2, [3], [1, 2, 3, 0.5, 6, 700]]);
    expect(readHeader(path, "csv")).toEqual({ ok: true, value: { format: "csv", dtype: "text", count: 2, shape: [3], names: ["a", "b", "c"] } });
  });

  it("readHeader counts lines across its read chunks", () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i},${i * 2},${i % 7}`);
    const path = file("x,y,z\n" + rows.join("\n") + "\n\n");
    const h = readHeader(path, "csv");
    expect(h.ok && [h.value.count, h.value.shape]).toEqual([20000, [3]]);
    const r = readDataFile(path, "csv");
    expect(r.ok && [r.value.count, r.value.x[3 * 19999 + 1]]).toEqual([20000, 39998]);
  });

  it("a ragged line: AE3004 naming the line and both column counts", () => {
    const text = "a,b,c\n1,2,3\n4,5\n";
    const d = failure(readDataFile(file(text), "csv"));
    expect(d.code).toBe("AE3004");
    expect(d.message).toBe("line 3 has 2 columns, expected 3 (as line 1, the header)");
    expect([d.span.start, d.span.end]).toEqual([text.indexOf("4,5"), text.indexOf("4,5") + 3]);
  });

  it("a cell that is not a number: AE3004 at line:column and its offset", () => {
    const text = "1,2,3\n4, x5 ,6\n";
    const d = failure(readDataFile(file(text), "csv"));
    expect(d.code).toBe("AE3004");
    expect(d.message).toBe("expected a number at line 2:4, found 'x5'");
    expect([d.span.start, d.span.end]).toEqual([text.indexOf("x5"), text.indexOf("x5") + 2]);
  });

  it("an empty cell", () => {
    const text = "1,2,3\n4,,6\n";
    const d = failure(readDataFile(file(text), "csv"));
    expect(d.code).toBe("AE3004");
    expect(d.message).toBe("expected a number at line 2:3, found an empty cell");
    expect(d.span.start).toBe(8);
  });

  it("a first line mixing numbers and words is an error, not a header", () => {
    const d = failure(readDataFile(file("1,two,3\n4,5,6\n"), "csv"));
    expect(d.code).toBe("AE3004");
    expect(d.message).toBe("expected a number at line 1:3, found 'two'");
    expect(d.hint).toMatch(/header/);
  });

  it("NaN, infinities and overflow: AE3005 at line:column", () => {
    const cases: [string, string, string][] = [
      ["1,2\n3,NaN\n", "NaN", "NaN at line 2:3: data must be finite numbers"],
      ["1,2\n-inf,4\n", "-inf", "-inf at line 2:1: data must be finite numbers"],
      ["1,2\n3,1e39\n", "1e39", "1e39 at line 2:3 is beyond the float32 range"],
    ];
    for (const [text, cell, message] of cases) {
      const d = failure(readDataFile(file(text), "csv"));
      expect(d.code).toBe("AE3005");
      expect(d.message).toBe(message);
      expect(d.span.start).toBe(text.indexOf(cell));
    }
  });

  it("an empty file, or one of blank lines: AE3004", () => {
    for (const text of ["", "\n  \n\r\n"]) {
      const path = file(text);
      for (const r of [readDataFile(path, "csv"), readHeader(path, "csv")]) {
        const d = failure(r);
        expect(d.code).toBe("AE3004");
        expect(d.message).toMatch(/empty CSV file/);
      }
    }
  });

  it("a header and no data: AE3004", () => {
    const path = file("a,b\n");
    for (const r of [readDataFile(path, "csv"), readHeader(path, "csv")]) {
      expect(failure(r).message).toMatch(/header line but no data lines/);
    }
  });

  it("a missing file: AE3001", () => {
    expect(failure(readHeader(`${dir}/absent.csv`, "csv")).code).toBe("AE3001");
    expect(failure(readDataFile(`${dir}/absent.csv`, "csv")).code).toBe("AE3001");
  });
});
