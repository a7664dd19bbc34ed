import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFashionMnist } from "../../src/data/builtin/fashion-mnist.js";
import { ok } from "../../src/data/result.js";
import { tempDir } from "./builders.js";

const span = { file: "spec.aespec", start: 0, end: 5 };
const root = tempDir();
let packages = 0;

/** A package folder in the layout of fashion-mnist 1.1.0, 7 images a class; pixel values encode class and row. */
function fakePackage(edit?: (k: number, data: unknown[]) => unknown): string {
  const dir = join(root, `p${packages++}`);
  mkdirSync(join(dir, "src", "clothes"), { recursive: true });
  for (let k = 0; k < 10; k++) {
    const data: unknown[] = Array.from({ length: 7 }, (_, row) => new Array(784).fill(k * 20 + row));
    if (k === 0) data.splice(3, 0, []); // the real class 0 has empty rows too
    writeFileSync(join(dir, "src", "clothes", `${k}.json`), JSON.stringify(edit ? edit(k, data) : { data }));
  }
  return dir;
}

describe("fashion_mnist from the package's JSON files", () => {
  it("reads every class, skips empty rows, holds out the last seventh of each class", () => {
    const dir = fakePackage();
    const r = loadFashionMnist(span, () => ok(dir));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { train, test } = r.value;
    expect([train.count, test!.count]).toEqual([60, 10]);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.range).toEqual([0, 1]);
    // Pixel values say which image each is: train holds rows 0..5 of each class, test row 6, each with its class's label.
    const images = (ds: typeof train) =>
      Array.from({ length: ds.count }, (_, i) => {
        const v = Math.round(ds.x[i * 784 + 100]! * 255);
        expect(ds.labels![i]).toBe(Math.floor(v / 20));
        return `${Math.floor(v / 20)}/${v % 20}`;
      }).sort();
    const rows = (from: number, to: number) =>
      Array.from({ length: 10 }, (_, k) => Array.from({ length: to - from }, (_, r) => `${k}/${from + r}`))
        .flat()
        .sort();
    expect(images(train)).toEqual(rows(0, 6));
    expect(images(test!)).toEqual(rows(6, 7));
  });

  it("puts each part in a fixed mixed order: any first N examples hold every class (the package stores them class by class)", () => {
    const dir = fakePackage((k, data) => ({ data: Array.from({ length: 70 }, (_, row) => (data[0] as number[]).map(() => k * 20 + (row % 20))) }));
    const r = loadFashionMnist(span, () => ok(dir));
    if (!r.ok) throw new Error(r.diagnostic.message);
    const { train, test } = r.value;
    expect([train.count, test!.count]).toEqual([600, 100]);
    for (const [ds, n] of [
      [train, 100],
      [test!, 50],
    ] as const) {
      const first = new Set(Array.from(ds.labels!.subarray(0, n)));
      expect(first.size, `classes among the first ${n}`).toBe(10);
      let run = 1;
      let longest = 1;
      for (let i = 1; i < ds.count; i++) longest = Math.max(longest, (run = ds.labels![i] === ds.labels![i - 1] ? run + 1 : 1));
      expect(longest).toBeLessThan(8);
    }
    // Fixed: the same order every time (it depends on no seed of the spec).
    const again = loadFashionMnist(span, () => ok(dir));
    expect(again.ok && Array.from(again.value.train.labels!)).toEqual(Array.from(train.labels!));
  });

  it("a malformed class file: AE3007 naming it", () => {
    const cases: [(k: number, data: unknown[]) => unknown, RegExp][] = [
      [(k, data) => (k === 4 ? { images: data } : { data }), /"data" array/],
      [(k, data) => ({ data: k === 2 ? [...data, new Array(783).fill(0)] : data }), /image 7 is not an array of 784 pixels \(found 783\)/],
      [(k, data) => ({ data: k === 9 ? [new Array(784).fill(256)] : data }), /pixel 0 is 256/],
    ];
    for (const [edit, message] of cases) {
      const dir = fakePackage(edit);
      const r = loadFashionMnist(span, () => ok(dir));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.diagnostic.code).toBe("AE3007");
      expect(r.diagnostic.span.file).toMatch(/src\/clothes\/\d\.json$/);
      expect(r.diagnostic.message).toMatch(message);
    }
  });

  it("invalid JSON and a missing class file: AE3007", () => {
    const dir = fakePackage();
    writeFileSync(join(dir, "src", "clothes", "3.json"), '{"data": [[1, 2,');
    const bad = loadFashionMnist(span, () => ok(dir));
    expect(!bad.ok && [bad.diagnostic.code, bad.diagnostic.span.file]).toEqual(["AE3007", join(dir, "src", "clothes", "3.json")]);
    expect(!bad.ok && bad.diagnostic.message).toMatch(/not valid JSON/);
    const empty = join(root, "empty");
    mkdirSync(empty);
    const missing = loadFashionMnist(span, () => ok(empty));
    expect(!missing.ok && missing.diagnostic.message).toMatch(/layout of version 1\.1\.0/);
  });
});
