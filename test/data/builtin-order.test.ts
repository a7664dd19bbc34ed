import { describe, expect, it } from "vitest";
import { loadMnist } from "../../src/data/builtin/mnist.js";
import { loadSprites } from "../../src/data/builtin/sprites.js";
import type { Dataset } from "../../src/data/dataset.js";

/**
 * Whatever takes "the first N" of a built-in set (eval --limit, the linear
 * probe's 5000 training examples, the report's pictures) must see every class:
 * each set is in a mixed order (fashion_mnist: test/data/fashion-mnist.test.ts).
 */
const span = { file: "spec.aespec", start: 0, end: 5 };
const classesAmongFirst = (ds: Dataset, n: number) => new Set(Array.from(ds.labels!.subarray(0, n))).size;

describe("built-in sets are in a mixed order", () => {
  it("mnist: the first 100 test and training examples hold all 10 digits", () => {
    const r = loadMnist(span);
    if (!r.ok) throw new Error(r.diagnostic.message);
    expect(classesAmongFirst(r.value.test!, 100)).toBe(10);
    expect(classesAmongFirst(r.value.train, 100)).toBe(10);
  });

  it("sprites: the first 30 examples of each part hold all 3 shapes", () => {
    const s = loadSprites(16, 600, 3);
    expect(classesAmongFirst(s.train, 30)).toBe(3);
    expect(classesAmongFirst(s.test!, 30)).toBe(3);
  });
});
