/**
 * A part whose float32 weights cannot fit one ONNX file (a protobuf message,
 * at most 2 GiB) is refused from the IR's counts, before any weight is read.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile.js";
import { DECODER_ENTRIES } from "../../../targets/onnx/bottlenecks.js";
import { exportModel } from "../../../targets/onnx/export-model.js";
import { checkSize, MAX_WEIGHT_BYTES } from "../../../targets/onnx/size-limit.js";
import { irOf } from "../tfjs/ops/tf-helpers.js";

const wide = () => {
  const file = "test/golden/onnx/AE3201.aespec";
  const c = compile(readFileSync(file, "utf8"), { file });
  if (!c.ok) throw new Error("the AE3201 fixture does not compile");
  return c.models[0]!;
};

describe("the 2 GiB limit of one ONNX file", () => {
  it("refuses the encoder and the autoencoder of a 576-million-weight encoder, at its dense layer; its decoder fits", () => {
    const ir = wide();
    // encoder dense 24000 x 24000 + 24000, bottleneck 24000 x 16 + 16: 576,408,016 weights, 2,305,632,064 bytes.
    expect(4 * 576_408_016).toBeGreaterThan(MAX_WEIGHT_BYTES);
    const enc = checkSize(ir, "encoder");
    expect(enc?.code).toBe("AE3201");
    expect(enc?.message).toContain("576,408,016 weights");
    expect(enc?.span).toEqual(ir.encoder[0]!.span);
    expect(enc?.hint).not.toContain("separate parts");
    expect(checkSize(ir, "autoencoder")?.hint).toContain("separate parts");
    expect(checkSize(ir, "decoder")).toBeNull();
    // exportModel refuses before reading weights (none given here).
    const r = exportModel(ir, new Map(), "encoder");
    expect(r.ok ? null : r.diagnostic.code).toBe("AE3201");
  });

  it("counts exactly: the largest dense encoder that fits passes, one unit more does not", () => {
    // input [n], dense(u), bottleneck deterministic(1): weights n u + u + u + 1.
    const n = 4096;
    const fit = Math.floor((MAX_WEIGHT_BYTES / 4 - 1) / (n + 2));
    const spec = (u: number) =>
      `model m { input: [${n}] encoder { dense(${u}) } bottleneck: deterministic(1) decoder { dense(${n}) } loss { reconstruction(mse) } }`;
    expect(checkSize(irOf(spec(fit)), "encoder")).toBeNull();
    expect(checkSize(irOf(spec(fit + 1)), "encoder")?.code).toBe("AE3201");
  });

  it("counts only a ladder's top-down weights in its decoder part", () => {
    const ir = irOf(
      `model m { input: [4] bottleneck: ladder(skip: false) { gaussian(3) gaussian(2) } decoder { dense(4) } loss { reconstruction(mse) kl() } }`,
    );
    if (ir.bottleneck.kind !== "ladder") throw new Error("not a ladder");
    // By hand: level 0 (3 units, states of 6): up 4*6+6 = 30, q_mean and q_logvar 6*3+3 = 21 each,
    // down 2*6+6 = 18, p_mean and p_logvar 21 each; level 1 (2 units, states of 4): up 6*4+4 = 28, q heads 4*2+2 = 10 each.
    expect(ir.bottleneck.parameters).toBe(30 + 21 + 21 + 18 + 21 + 21 + 28 + 10 + 10);
    expect(DECODER_ENTRIES.ladder.parameters(ir.bottleneck)).toBe(18 + 21 + 21);
    const g = irOf(`model g { input: [4] bottleneck: gaussian(2) decoder { dense(4) } loss { reconstruction(mse) kl() } }`).bottleneck;
    if (g.kind !== "gaussian") throw new Error("not gaussian");
    expect(DECODER_ENTRIES.gaussian.parameters(g)).toBe(0);
  });
});
