import { describe, expect, it } from "vitest";
import { readHeader } from "../../src/data/header.js";
import { readDataFile } from "../../src/data/read-file.js";
import type { Result } from "../../src/data/result.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { npyDict, npyFile, tempDir, writeBytes, type NpyDtype } from "./builders.js";

const dir = tempDir();
let counter = 0;
function file(bytes: Uint8Array | string): string {
  return writeBytes(dir, `f${counter++}.npy`, bytes);
}

function failure(r: Result<unknown>): Diagnostic {
  if (r.ok) throw new Error("expected a diagnostic");
  return r.diagnostic;
}

describe("NPY round trips", () => {
  const values = [0, 1.5, -2.25, 3e-3, 1e6, -7];
  for (const dtype of ["<f4", ">f4", "<f8", ">f8"] as NpyDtype[]) {
    for (const version of [1, 2, 3] as const) {
      it(`${dtype}, version ${version}.0`, () => {
        const path = file(npyFile({ dtype, shape: [2, 3], values, version }).bytes);
        const r = readDataFile(path, "npy");
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.count).toBe(2);
        expect(r.value.shape).toEqual([3]);
        expect(Array.from(r.value.x)).toEqual(values.map(Math.fround));
        expect(r.value.range).toEqual([-7, 1e6]);
        expect(r.value.labels).toBeNull();
      });
    }
  }

  it("|u1 is divided by 255", () => {
    const path = file(npyFile({ dtype: "|u1", shape: [3, 2], values: [0, 255, 51, 102, 1, 254] }).bytes);
    const r = readDataFile(path, "npy");
    expect(r.ok && Array.from(r.value.x)).toEqual([0, 1, 0.2, 0.4, 1 / 255, 254 / 255].map(Math.fround));
    expect(r.ok && r.value.range).toEqual([0, 1]);
  });

  it("per-example shapes: rank 1 -> [1], rank 3 gets a channel axis, rank 4 as is", () => {
    const cases: [number[], number[]][] = [
      [[4], [1]],
      [
        [2, 3, 5],
        [3, 5, 1],
      ],
      [
        [2, 3, 5, 2],
        [3, 5, 2],
      ],
    ];
    for (const [dims, per] of cases) {
      const n = dims.reduce((a, b) => a * b, 1);
      const path = file(npyFile({ dtype: "<f4", shape: dims, values: Array.from({ length: n }, (_, i) => i) }).bytes);
      const r = readDataFile(path, "npy");
      expect(r.ok && r.value.shape).toEqual(per);
      expect(r.ok && r.value.count).toBe(dims[0]);
      const h = readHeader(path, "npy");
      expect(h.ok && h.value).toEqual({ format: "npy", dtype: "float32", count: dims[0], shape: per, names: null });
    }
  });

  it("accepts a one-element shape tuple written as (n,) and a header without the trailing comma", () => {
    const path = file(npyFile({ dtype: "<f8", shape: [3], values: [1, 2, 3], dict: "{'descr':'<f8','fortran_order':False,'shape':(3,)}" }).bytes);
    const r = readDataFile(path, "npy");
    expect(r.ok && Array.from(r.value.x)).toEqual([1, 2, 3]);
  });
});

describe("NPY malformations", () => {
  const good = () => npyFile({ dtype: "<f4", shape: [2, 2], values: [1, 2, 3, 4] });

  it("wrong magic: AE3002 at byte 0", () => {
    const bytes = good().bytes;
    bytes[1] = "X".charCodeAt(0);
    const d = failure(readDataFile(file(bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect([d.span.start, d.span.end]).toEqual([0, 6]);
    expect(d.message).toMatch(/not an NPY file/);
  });

  it("empty file: AE3002 at byte 0", () => {
    const d = failure(readDataFile(file(new Uint8Array(0)), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.span.start).toBe(0);
  });

  it("unsupported version: AE3002 at byte 6", () => {
    const bytes = good().bytes;
    bytes[6] = 4;
    const d = failure(readDataFile(file(bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.span.start).toBe(6);
    expect(d.message).toMatch(/version 4\.0/);
  });

  it("header length beyond the file: AE3002 at the file's end", () => {
    const f = good();
    const bytes = f.bytes.slice(0, 40);
    const d = failure(readDataFile(file(bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.span.start).toBe(40);
    expect(f.dataOffset).toBe(128); // 10 + 60 characters of dict + newline, padded to 64
    expect(d.message).toMatch(/truncated in its header.*byte 128.*byte 40/);
  });

  it("bad header dict: each error points at its byte", () => {
    const cases: [string, string, RegExp][] = [
      // [dict, the text the error must point at, message]
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "x)", /expected a whole number/],
      ["{'descr': '<f4', 'fortran_order': False, 'colour': (2, 2), }", "'colour'", /unexpected key 'colour'/],
      ["{'descr': '<f4', 'fortran_order': False, }", "}", /missing key 'shape'/],
      ["{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 2), }", "0,", /expected a string, True, False or a tuple/],
      ["['descr', '<f4']", "[", /expected '\{'/],
      ["{'descr': '<f4' 'fortran_order': False, 'shape': (2, 2), }", "'fortran_order'", /expected ',' or '\}'/],
      ["{'descr': 5}", "5}", /expected a string/],
      ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}", "'descr': '<f4', 'f", /given twice/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)} extra", "extra", /unexpected text after the dictionary/],
    ];
    for (const [dict, at, message] of cases) {
      const f = npyFile({ dtype: "<f4", shape: [2, 2], values: [1, 2, 3, 4], dict });
      const d = failure(readDataFile(file(f.bytes), "npy"));
      expect(d.code, dict).toBe("AE3002");
      expect(d.message, dict).toMatch(message);
      expect(d.span.start, dict).toBe(f.headerStart + dict.lastIndexOf(at));
      expect(d.message, dict).toContain(`at byte ${d.span.start}`);
    }
  });

  it("unsupported dtype: AE3002 at the descr value", () => {
    const dict = npyDict("<i8", [2, 2]);
    const f = npyFile({ dtype: "<f8", shape: [2, 2], values: [1, 2, 3, 4], dict });
    const d = failure(readDataFile(file(f.bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.span.start).toBe(f.headerStart + dict.indexOf("'<i8'"));
    expect(d.message).toMatch(/unsupported NPY dtype '<i8'/);
  });

  it("Fortran order: AE3002 at the True", () => {
    const dict = npyDict("<f4", [2, 2], true);
    const f = npyFile({ dtype: "<f4", shape: [2, 2], values: [1, 2, 3, 4], dict });
    const d = failure(readDataFile(file(f.bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.span.start).toBe(f.headerStart + dict.indexOf("True"));
    expect(d.message).toMatch(/Fortran order/);
  });

  it("no axis or an empty axis: AE3002", () => {
    for (const dict of ["{'descr': '<f4', 'fortran_order': False, 'shape': (), }", npyDict("<f4", [0, 3])]) {
      const f = npyFile({ dtype: "<f4", shape: [], values: [], dict });
      const d = failure(readDataFile(file(f.bytes), "npy"));
      expect(d.code).toBe("AE3002");
      expect(d.span.start).toBe(f.headerStart + dict.indexOf("("));
    }
  });

  it("truncated data: AE3002 at the end, expected vs actual bytes", () => {
    const f = good();
    const cut = f.bytes.slice(0, f.bytes.length - 3);
    const path = file(cut);
    for (const r of [readDataFile(path, "npy"), readHeader(path, "npy")]) {
      const d = failure(r);
      expect(d.code).toBe("AE3002");
      expect(d.span.start).toBe(cut.length);
      expect(d.message).toContain("needs 16 bytes after the header, the file has 13");
    }
  });

  it("trailing bytes: AE3002 at the first extra byte", () => {
    const f = good();
    const longer = new Uint8Array(f.bytes.length + 5);
    longer.set(f.bytes);
    const d = failure(readDataFile(file(longer), "npy"));
    expect(d.code).toBe("AE3002");
    expect([d.span.start, d.span.end]).toEqual([f.bytes.length, f.bytes.length + 5]);
    expect(d.message).toMatch(/5 bytes after its data/);
  });

  it("a header announcing a huge array is refused before anything is allocated", () => {
    const dict = npyDict("<f8", [1e9, 1e9, 1e9]);
    const f = npyFile({ dtype: "<f8", shape: [], values: [1, 2], dict });
    const d = failure(readDataFile(file(f.bytes), "npy"));
    expect(d.code).toBe("AE3002");
    expect(d.message).toMatch(/truncated/);
  });

  it("NaN and infinities: AE3005 naming the first one and its bytes", () => {
    const cases: [NpyDtype, number[], number, RegExp][] = [
      ["<f4", [1, 2, NaN, 4, NaN, 6], 2, /NaN at example 1, element 0 \(flat index 2\)/],
      [">f4", [1, 2, 3, Infinity, 5, 6], 3, /infinite value .* at example 1, element 1/],
      ["<f8", [1, -Infinity, 3, 4, 5, 6], 1, /infinite/],
      ["<f8", [1, 2, 3, 4, 5, 1e300], 5, /beyond the float32 range/],
    ];
    for (const [dtype, values, index, message] of cases) {
      const f = npyFile({ dtype, shape: [3, 2], values });
      const d = failure(readDataFile(file(f.bytes), "npy"));
      const item = dtype.endsWith("8") ? 8 : 4;
      expect(d.code).toBe("AE3005");
      expect([d.span.start, d.span.end]).toEqual([f.dataOffset + index * item, f.dataOffset + (index + 1) * item]);
      expect(d.message).toMatch(message);
    }
  });

  it("a missing file: AE3001 naming it", () => {
    const path = `${dir}/absent.npy`;
    for (const r of [readDataFile(path, "npy"), readHeader(path, "npy")]) {
      const d = failure(r);
      expect(d.code).toBe("AE3001");
      expect(d.span.file).toBe(path);
      expect(d.message).toMatch(/no such file/);
    }
  });

  it("the diagnostic names the data file", () => {
    const bytes = good().bytes;
    bytes[0] = 0;
    const path = file(bytes);
    expect(failure(readDataFile(path, "npy")).span.file).toBe(path);
  });
});
