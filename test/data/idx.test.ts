import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readHeader } from "../../src/data/header.js";
import { decodeIdxLabels } from "../../src/data/idx.js";
import { readDataFile } from "../../src/data/read-file.js";
import type { Result } from "../../src/data/result.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { idxFile, tempDir, writeBytes } from "./builders.js";

const dir = tempDir();
let counter = 0;
function file(bytes: Uint8Array, suffix = ".idx"): string {
  return writeBytes(dir, `f${counter++}${suffix}`, bytes);
}

function failure(r: Result<unknown>): Diagnostic {
  if (r.ok) throw new Error("expected a diagnostic");
  return r.diagnostic;
}

const pixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 11) % 256);

describe("IDX round trips", () => {
  it("unsigned bytes [2, 3, 4]: per-example [3, 4, 1], divided by 255", () => {
    const path = file(idxFile(0x08, [2, 3, 4], pixels));
    const r = readDataFile(path, "idx");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.count).toBe(2);
    expect(r.value.shape).toEqual([3, 4, 1]);
    expect(Array.from(r.value.x)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    expect(r.value.range).toEqual([0, 1]);
    expect(readHeader(path, "idx")).toEqual({ ok: true, value: { format: "idx", dtype: "uint8", count: 2, shape: [3, 4, 1], names: null } });
  });

  it("other types are read as stored, big-endian", () => {
    const cases: [0x09 | 0x0b | 0x0c | 0x0d | 0x0e, number[]][] = [
      [0x09, [-128, -1, 0, 127]],
      [0x0b, [-32768, -2, 300, 32767]],
      [0x0c, [-70000, 0, 1 << 20, 5]],
      [0x0d, [0.5, -1.25, 3e5, 0]],
      [0x0e, [0.1, -2, 1e-3, 42]],
    ];
    for (const [type, values] of cases) {
      const r = readDataFile(file(idxFile(type, [2, 2], values)), "idx");
      expect(r.ok && Array.from(r.value.x), `type ${type}`).toEqual(values.map(Math.fround));
      expect(r.ok && r.value.shape).toEqual([2]);
    }
  });

  it("rank 1: one value per example", () => {
    const r = readDataFile(file(idxFile(0x0d, [3], [1, 2, 3])), "idx");
    expect(r.ok && [r.value.count, r.value.shape]).toEqual([3, [1]]);
  });

  it("gzipped, whatever the name", () => {
    const raw = idxFile(0x08, [2, 3, 4], pixels);
    for (const suffix of [".idx.gz", ".idx"]) {
      const path = file(gzipSync(raw), suffix);
      const r = readDataFile(path, "idx");
      expect(r.ok && Array.from(r.value.x)).toEqual(pixels.map((p) => Math.fround(p / 255)));
      const h = readHeader(path, "idx");
      expect(h.ok && [h.value.count, h.value.shape]).toEqual([2, [3, 4, 1]]);
    }
  });

  it("labels: a rank-1 integer file read unscaled", () => {
    const bytes = idxFile(0x08, [5], [3, 1, 4, 1, 5]);
    const r = decodeIdxLabels(bytes, "labels.idx");
    expect(r.ok && Array.from(r.value)).toEqual([3, 1, 4, 1, 5]);
    const d = failure(decodeIdxLabels(idxFile(0x0d, [2], [1, 2]), "labels.idx"));
    expect(d.code).toBe("AE3003");
  });
});

describe("IDX malformations", () => {
  it("wrong magic: AE3003 over bytes 0..4", () => {
    for (const bad of [
      [1, 0, 8, 1],
      [0, 0, 0x0a, 1],
      [0, 0, 8, 0],
    ]) {
      const bytes = idxFile(0x08, [4], [1, 2, 3, 4]);
      bytes.set(bad, 0);
      const d = failure(readDataFile(file(bytes), "idx"));
      expect(d.code).toBe("AE3003");
      expect([d.span.start, d.span.end]).toEqual([0, 4]);
      expect(d.message).toMatch(/not an IDX file: magic number 0x/);
    }
  });

  it("a header cut short: AE3003 at the end", () => {
    const bytes = idxFile(0x08, [2, 3, 4], pixels).slice(0, 10);
    const d = failure(readDataFile(file(bytes), "idx"));
    expect(d.code).toBe("AE3003");
    expect(d.span.start).toBe(10);
    expect(d.message).toMatch(/3 dimensions need a header of 16 bytes/);
    expect(failure(readDataFile(file(new Uint8Array([0, 0])), "idx")).code).toBe("AE3003");
  });

  it("truncated data: expected vs actual bytes, at the file's end", () => {
    const bytes = idxFile(0x08, [2, 3, 4], pixels).slice(0, 16 + 20);
    const path = file(bytes);
    for (const r of [readDataFile(path, "idx"), readHeader(path, "idx")]) {
      const d = failure(r);
      expect(d.code).toBe("AE3003");
      expect(d.span.start).toBe(36);
      expect(d.message).toContain("need 24 bytes after the header, the file has 20");
    }
  });

  it("trailing bytes: at the first extra byte", () => {
    const full = idxFile(0x08, [2, 3, 4], pixels);
    const longer = new Uint8Array(full.length + 3);
    longer.set(full);
    const d = failure(readDataFile(file(longer), "idx"));
    expect(d.code).toBe("AE3003");
    expect([d.span.start, d.span.end]).toEqual([full.length, full.length + 3]);
  });

  it("a zero dimension: at its 4 bytes", () => {
    const d = failure(readDataFile(file(idxFile(0x08, [2, 0, 4], [])), "idx"));
    expect(d.code).toBe("AE3003");
    expect([d.span.start, d.span.end]).toEqual([8, 12]);
  });

  it("gzip: truncated data is found after inflating, and offsets say so", () => {
    const bytes = idxFile(0x08, [2, 3, 4], pixels).slice(0, 30);
    const d = failure(readDataFile(file(gzipSync(bytes), ".idx.gz"), "idx"));
    expect(d.code).toBe("AE3003");
    expect(d.span.start).toBe(30);
    expect(d.message).toMatch(/truncated.*decompressed data/);
  });

  it("a cut gzip stream: AE3003", () => {
    const gz = gzipSync(idxFile(0x08, [2, 3, 4], pixels));
    const d = failure(readDataFile(file(gz.subarray(0, gz.length - 10), ".idx.gz"), "idx"));
    expect(d.code).toBe("AE3003");
    expect(d.message).toMatch(/corrupt gzip stream/);
  });

  it("NaN in float data: AE3005 at its bytes", () => {
    const d = failure(readDataFile(file(idxFile(0x0d, [2, 2], [1, 2, 3, NaN])), "idx"));
    expect(d.code).toBe("AE3005");
    expect([d.span.start, d.span.end]).toEqual([12 + 3 * 4, 12 + 4 * 4]);
    expect(d.message).toMatch(/NaN at example 1, element 1/);
  });
});
