import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readHeader } from "../../src/data/header.js";
import { npyBytes } from "../../src/data/npy-write.js";
import { tempDir } from "../support/temp-dir.js";

/** Headers of files held in memory (an editor's unsaved copies) are read from there, not from disk. */
describe("readHeader with open files", () => {
  const dir = tempDir("aespec-open-files-");
  const csv = join(dir, "d.csv");
  writeFileSync(csv, "a,b,c\n1,2,3\n4,5,6\n");
  const npy = join(dir, "d.npy");

  it("a CSV: the open text's columns and rows, the disk's once it is not open", () => {
    const open = new Map([[csv, new TextEncoder().encode("1,2\n3,4\n5,6\n7,8\n")]]);
    const held = readHeader(csv, "csv", open);
    expect(held.ok && [held.value.shape, held.value.count, held.value.names]).toEqual([[2], 4, null]);
    const disk = readHeader(csv, "csv");
    expect(disk.ok && [disk.value.shape, disk.value.count, disk.value.names]).toEqual([[3], 2, ["a", "b", "c"]]);
  });

  it("an NPY that exists only in memory; its errors point into that file", () => {
    const bytes = npyBytes(new Float32Array(15), [5, 3]);
    const held = readHeader(npy, "npy", new Map([[npy, bytes]]));
    expect(held.ok && [held.value.shape, held.value.count, held.value.dtype]).toEqual([[3], 5, "float32"]);
    const short = readHeader(npy, "npy", new Map([[npy, bytes.subarray(0, bytes.length - 4)]]));
    expect(short.ok).toBe(false);
    expect(!short.ok && short.diagnostic.span.file).toBe(npy);
    expect(readHeader(npy, "npy").ok).toBe(false); // not on disk
  });
});
