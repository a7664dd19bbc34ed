import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "../../src/check/suggest.js";

describe("suggest", () => {
  it("finds typos: a missing, extra, wrong or swapped letter", () => {
    expect(suggest("dens", ["dense", "conv"])).toBe("dense");
    expect(suggest("densee", ["dense"])).toBe("dense");
    expect(suggest("desne", ["dense"])).toBe("dense");
    expect(suggest("epoch", ["batch", "epochs"])).toBe("epochs");
    expect(suggest("Dense", ["dense"])).toBe("dense");
  });

  it("offers nothing when nothing is close", () => {
    expect(suggest("xyz", ["dense", "conv"])).toBeNull();
    expect(suggest("ab", ["cd"])).toBeNull();
    expect(suggest("dense", ["dense"])).toBeNull();
  });

  it("edit distance counts a swap as one", () => {
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
