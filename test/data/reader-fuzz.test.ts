import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readHeader, type FileFormat } from "../../src/data/header.js";
import { npyBytes } from "../../src/data/npy-write.js";
import { readDataFile } from "../../src/data/read-file.js";
import { tempDir } from "./builders.js";

/**
 * Every reader on mutated files (bytes flipped, cut, inserted, runs of 0xff):
 * it never throws, and a refusal is a data diagnostic (AE300x) naming the
 * file, with a place inside it. AESPEC_FUZZ=long runs 25,000 cases a reader.
 */
const RUNS = process.env["AESPEC_FUZZ"] === "long" ? 25_000 : 300;
const dir = tempDir();

function idx(count: number, rows: number, cols: number): Uint8Array {
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x00000803);
  view.setUint32(4, count);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  const body = Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 37) % 256);
  return new Uint8Array([...header, ...body]);
}

const VALID: Record<string, { format: FileFormat; bytes: Uint8Array }> = {
  "x.npy": {
    format: "npy",
    bytes: npyBytes(
      Float32Array.from({ length: 24 }, (_, i) => i / 24),
      [6, 4],
    ),
  },
  "x.idx": { format: "idx", bytes: idx(5, 3, 3) },
  "x.idx.gz": { format: "idx", bytes: new Uint8Array(gzipSync(idx(5, 3, 3))) },
  "x.csv": { format: "csv", bytes: new TextEncoder().encode("a,b,c\n0.1,0.2,0.3\n1,2,3\n-4e-3,5,6\n") },
};

const edit = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("ones" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

interface Edit {
  readonly kind: "flip" | "cut" | "insert" | "ones";
  readonly at: number;
  readonly value?: number;
  readonly bytes?: Uint8Array;
  readonly length?: number;
}

function mutate(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = Array.from(bytes);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % b.length;
    if (e.kind === "flip") b[at] = e.value!;
    else if (e.kind === "cut") b = b.slice(0, at);
    else if (e.kind === "insert") b.splice(at, 0, ...e.bytes!);
    else b.splice(at, e.length!, ...new Array<number>(e.length!).fill(0xff));
  }
  return Uint8Array.from(b);
}

describe("data readers on mutated files", () => {
  it.each(Object.entries(VALID))("%s: never throws; every refusal is a located data diagnostic", (name, { format, bytes }) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    expect(readDataFile(path, format).ok).toBe(true);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const mutated = mutate(bytes, edits);
        writeFileSync(path, mutated);
        for (const r of [readHeader(path, format), readDataFile(path, format)]) {
          if (r.ok) continue;
          expect(r.diagnostic.code).toMatch(/^AE300[1-5]$/);
          expect(r.diagnostic.span.file).toBe(path);
          expect(r.diagnostic.message.length).toBeGreaterThan(0);
          expect(r.diagnostic.span.start).toBeGreaterThanOrEqual(0);
          expect(r.diagnostic.span.start).toBeLessThanOrEqual(r.diagnostic.span.end);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
