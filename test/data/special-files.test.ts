import { execFileSync } from "node:child_process";
import { closeSync, openSync, ftruncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { readHeader } from "../../src/data/header.js";
import { readDataFile } from "../../src/data/read-file.js";
import { tempDir } from "./builders.js";

/**
 * Reads cannot hang or exhaust the machine: what is not a regular file is
 * refused before it is read (an endless device, a FIFO with no writer), and
 * sizes are capped before anything is allocated.
 */
const dir = tempDir();
const fifo = join(dir, "pipe.csv");
execFileSync("mkfifo", [fifo]);
const sparse = (name: string, bytes: number) => {
  const path = join(dir, name);
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes); // a hole: no disk used, every byte reads as 0
  closeSync(fd);
  return path;
};

describe("special files and huge files", () => {
  it.each(["/dev/zero", "/dev/urandom", fifo])("%s as a spec: AE3001, not read", (path) => {
    const c = compileFile(path);
    expect(c.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AE3001", `cannot read '${path}': it is not a regular file (a device, a FIFO or a socket)`],
    ]);
  });

  it.each([
    ["/dev/zero", "csv", "a device"],
    ["/dev/urandom", "npy", "a device"],
    ["/dev/zero", "idx", "a device"],
    [fifo, "csv", "a FIFO (a pipe)"],
    [fifo, "npy", "a FIFO (a pipe)"],
  ] as const)("%s as %s data: AE3001 from the header and the reader alike", (path, format, kind) => {
    for (const r of [readHeader(path, format), readDataFile(path, format)]) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect([r.diagnostic.code, r.diagnostic.message]).toEqual(["AE3001", `cannot read data file: it is ${kind}, not a regular file`]);
    }
  });

  it("a CSV whose first line runs past 8 MiB (a sparse file of zero bytes): refused after reading just past the limit", () => {
    const r = readHeader(sparse("zeros.csv", 9 * 1024 * 1024), "csv");
    expect(!r.ok && [r.diagnostic.code, r.diagnostic.message]).toEqual(["AE3004", "the first line is longer than 8388608 bytes: not a CSV of examples"]);
  });

  it("a 2 GiB sparse CSV: refused by its size, unread", () => {
    const r = readHeader(sparse("big.csv", 2 * 1024 ** 3), "csv");
    expect(!r.ok && r.diagnostic.message).toBe("the CSV file is 2147483648 bytes, more than the 536870912 a CSV may hold");
  });
});
