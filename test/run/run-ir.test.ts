/**
 * readRunIr: the IR of a run read back, checked and hashed; a run of aespec
 * before `init` and `schedule` existed reads as what it was trained with.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelHash } from "../../src/ir/hash.js";
import { compile } from "../../src/compile.js";
import type { IrModel } from "../../src/ir/model.js";
import { readRunIr } from "../../src/run/run-ir.js";
import { tempDir } from "../support/temp-dir.js";

const TEXT = `model m {
  input: [4]
  bottleneck: deterministic(2)
  decoder { dense(4) }
  loss { reconstruction(mse) }
}
`;

function irOf(text: string): IrModel {
  const c = compile(text, { file: "m.aespec" });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  return c.models[0]!;
}

function runWith(ir: unknown): string {
  const dir = tempDir("aespec-run-ir-");
  writeFileSync(join(dir, "ir.json"), JSON.stringify(ir));
  return dir;
}

describe("readRunIr", () => {
  it("reads an IR as written, its hash checked", () => {
    const ir = irOf(TEXT.replace("reconstruction(mse) }", "reconstruction(mse) }\n  train { init: glorot schedule: step(every: 2) }"));
    const back = readRunIr(runWith(ir));
    expect(back).toEqual(ir);
    const edited = { ...ir, train: { ...ir.train, init: "torch" } };
    expect(readRunIr(runWith(edited))).toMatch(/was edited/);
  });

  it("refuses an IR whose hash is right but whose ops do not chain or count (the verifier runs on every read)", () => {
    const ir = irOf(TEXT);
    const { hash: _h, ...rest } = ir;
    const layer = rest.decoder[0]!;
    const broken = { ...rest, decoder: [{ ...layer, inShape: [3] }] };
    expect(readRunIr(runWith({ ...broken, hash: modelHash(broken) }))).toMatch(
      /is not a sound model: decoder\.0 \(dense\): it reads \[3\], the op before it gives \[2\]/,
    );
    const miscounted = { ...rest, totals: { ...rest.totals, parameters: rest.totals.parameters + 1 } };
    expect(readRunIr(runWith({ ...miscounted, hash: modelHash(miscounted) }))).toMatch(/its totals count 23 parameters, its ops 22/);
  });

  it("an ir.json of aespec before init and schedules (hash over the fields it had) reads as init he, a constant rate", () => {
    const ir = irOf(TEXT);
    const { init: _i, schedule: _s, ...oldTrain } = ir.train;
    const { hash: _h, ...rest } = { ...ir, train: oldTrain };
    const old = { ...rest, hash: modelHash(rest as Omit<IrModel, "hash">) };
    const back = readRunIr(runWith(old));
    if (typeof back === "string") throw new Error(back);
    expect(back.train.init).toBe("he");
    expect(back.train.schedule).toEqual({ kind: "constant", warmup: 0, span: null });
  });
});
