import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Shape } from "../../src/ir/layers.js";
import { verifyIr } from "../../src/ir/verify.js";
import { check } from "./helpers.js";

const int = (min: number, max: number) => fc.integer({ min, max });
const padding = fc.constantFrom("same", "valid");

const layer = fc.oneof(
  int(1, 40).map((u) => `dense(${u})`),
  fc.tuple(int(1, 6), int(1, 5), int(1, 3), padding).map(([f, k, s, p]) => `conv(${f}, kernel: ${k}, stride: ${s}, padding: ${p})`),
  fc.tuple(int(1, 6), int(1, 5), int(1, 3), padding).map(([f, k, s, p]) => `deconv(${f}, kernel: ${k}, stride: ${s}, padding: ${p})`),
  fc.constantFrom("flatten", "flatten()", "relu", "leaky_relu", "tanh", "sigmoid", "batchnorm", "layernorm", "gelu", "elu", "softplus"),
  fc.double({ min: 0, max: 0.95, noNaN: true }).map((p) => `dropout(${p.toFixed(2)})`),
  fc
    .oneof(fc.array(int(1, 12), { minLength: 1, maxLength: 1 }), fc.array(int(1, 12), { minLength: 3, maxLength: 3 }))
    .map((dims) => `reshape([${dims.join(", ")}])`),
);

const input = fc.oneof(
  fc.tuple(int(1, 48)).map((d) => [...d]),
  fc.tuple(int(1, 16), int(1, 16), int(1, 3)).map((d) => [...d]),
);

const bottleneck = fc.oneof(
  int(1, 16).map((k) => `deterministic(${k})`),
  int(1, 16).map((k) => `gaussian(${k})`),
  fc.tuple(int(1, 64), int(1, 8)).map(([k, d]) => `vq(codes: ${k}, dim: ${d})`),
  fc.array(int(1, 8), { minLength: 1, maxLength: 3 }).map((ls) => `ladder(skip: true) { ${ls.map((u) => `gaussian(${u})`).join(" ")} }`),
);

const spec = fc.record({
  input,
  encoder: fc.array(layer, { maxLength: 5 }),
  bottleneck,
  decoder: fc.array(layer, { maxLength: 4 }),
  // Often end the decoder with a shape-restoring tail, so that some models check clean.
  restore: fc.boolean(),
});

function chains(shapes: readonly [Shape, Shape][]): boolean {
  return shapes.every(([out, next]) => out.length === next.length && out.every((d, i) => d === next[i]));
}

describe("random layer stacks", () => {
  it("never throw, and give either an IR whose shapes chain or an error", () => {
    fc.assert(
      fc.property(spec, ({ input: dims, encoder, bottleneck: b, decoder, restore }) => {
        const n = dims.reduce((a, x) => a * x, 1);
        const tail = restore ? ` flatten dense(${n}) reshape([${dims.join(", ")}])` : "";
        const text = `model m {\n  input: [${dims.join(", ")}]\n  encoder { ${encoder.join(" ")} }\n  bottleneck: ${b}\n  decoder { ${decoder.join(" ")}${tail} }\n  loss { reconstruction(mse) }\n}\n`;
        const c = check(text);
        for (const d of c.diagnostics) expect(d.span.end).toBeLessThanOrEqual(text.length);
        const errors = c.diagnostics.filter((d) => d.severity === "error");
        if (c.models.length === 0) {
          expect(errors.length).toBeGreaterThan(0);
          return;
        }
        expect(errors).toEqual([]);
        const m = c.models[0]!;
        const ops = [...m.encoder, m.bottleneck, ...m.decoder];
        const outs: Shape[] = [m.input.shape, ...m.encoder.map((l) => l.outShape), m.bottleneck.latentShape, ...m.decoder.map((l) => l.outShape)];
        const ins: Shape[] = [...ops.map((o) => o.inShape), m.input.shape];
        expect(chains(outs.map((o, i) => [o, ins[i]!] as [Shape, Shape]))).toBe(true);
        expect(Number.isFinite(m.totals.parameters)).toBe(true);
        // The IR verifier agrees with the checker on every clean model.
        expect(verifyIr(m)).toEqual([]);
      }),
      { numRuns: 400, seed: 20240611 },
    );
  });

  it("clean models do occur in the sample (the property is not vacuous)", () => {
    const clean = fc.sample(spec, { numRuns: 200, seed: 7 }).filter(({ input: dims, encoder, bottleneck: b, decoder }) => {
      const n = dims.reduce((a, x) => a * x, 1);
      const text = `model m { input: [${dims.join(", ")}] encoder { ${encoder.join(" ")} } bottleneck: ${b} decoder { ${decoder.join(" ")} flatten dense(${n}) reshape([${dims.join(", ")}]) } loss { reconstruction(mse) } }`;
      return check(text).models.length === 1;
    });
    expect(clean.length).toBeGreaterThan(20);
  });
});
