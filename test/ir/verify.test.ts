/**
 * The IR verifier: sound on every spec model (the property test in
 * test/check/property.test.ts runs it on random ones), and each kind of
 * damage a hand-edited or miscompiled IR can carry is found and named.
 */
import fc from "fast-check";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import type { IrModel } from "../../src/ir/model.js";
import { verifyIr } from "../../src/ir/verify.js";
import { REPO_ROOT } from "../support/language-reference.js";

const models: IrModel[] = readdirSync(join(REPO_ROOT, "specs"))
  .filter((f) => f.endsWith(".aespec"))
  .flatMap((f) => {
    const c = compileFile(join(REPO_ROOT, "specs", f));
    return c.ok ? [...c.models] : [];
  });

type Json = Record<string, unknown>;
const clone = (ir: IrModel): Json => JSON.parse(JSON.stringify(ir)) as Json;
const layersOf = (m: Json) => [...(m["encoder"] as Json[]), ...(m["decoder"] as Json[])];

/** One damage each, applied to a copy; null where the model has nothing it applies to. */
const DAMAGE: Record<string, (m: Json, pick: number) => RegExp | null> = {
  "an op's input shape": (m, pick) => {
    const ls = layersOf(m).filter((l) => (l["inShape"] as number[]).length > 0);
    const l = ls[pick % ls.length]!;
    const s = l["inShape"] as number[];
    s[s.length - 1]! += 1;
    return /it reads \[.*\], the (op before it|encoder) gives|the op before it gives/;
  },
  "an op's output shape": (m, pick) => {
    const ls = layersOf(m);
    const l = ls[pick % ls.length]!;
    (l["outShape"] as number[])[0]! += 2;
    return /gives|reads/;
  },
  "an op's parameter count": (m, pick) => {
    const ls = layersOf(m).filter((l) => (l["parameters"] as number) > 0);
    if (ls.length === 0) return null;
    (ls[pick % ls.length]!["parameters"] as number) += 1;
    return /counts \d+ parameters, its tensors hold \d+/;
  },
  "the totals": (m) => {
    (m["totals"] as Json)["activationBytes"] = ((m["totals"] as Json)["activationBytes"] as number) + 4;
    return /its totals count \d+ activation bytes, its ops \d+/;
  },
  "a layer kind": (m, pick) => {
    const ls = layersOf(m);
    ls[pick % ls.length]!["kind"] = "dense2";
    return /'dense2' is not a known layer kind/;
  },
  "a bottleneck kind": (m) => {
    (m["bottleneck"] as Json)["kind"] = "flow";
    return /its bottleneck 'flow' is not a known kind/;
  },
  "a loss kind": (m) => {
    (m["losses"] as Json[])[0]!["kind"] = "perceptual";
    return /its loss term 'perceptual' is not a known kind/;
  },
  "a zero dimension": (m) => {
    (m["bottleneck"] as Json)["latentShape"] = [0];
    return /not lists of positive integers/;
  },
  "the batch": (m) => {
    (m["train"] as Json)["batch"] = 0;
    return /train\.batch 0 is not a positive integer/;
  },
};

describe("verifyIr", () => {
  it("finds every spec model sound", () => {
    expect(models.length).toBeGreaterThanOrEqual(11);
    for (const m of models) expect(verifyIr(m), m.name).toEqual([]);
  });

  it("finds and names each kind of damage, on any spec model", () => {
    fc.assert(
      fc.property(fc.nat(models.length - 1), fc.constantFrom(...Object.keys(DAMAGE)), fc.nat(50), (which, damage, pick) => {
        const m = clone(models[which]!);
        const expected = DAMAGE[damage]!(m, pick);
        if (expected === null) return;
        const problems = verifyIr(m as unknown as IrModel);
        expect(problems.length, damage).toBeGreaterThan(0);
        expect(problems.join("\n"), damage).toMatch(expected);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
