import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { compile } from "../../../../src/compile.js";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { seeded, useBackend } from "../ops/tf-helpers.js";
import { randomSpec } from "./random-spec.js";

beforeAll(() => useBackend("cpu"));

it("every layer's tfjs output shape is the IR's outShape, for random stacks", () => {
  let checked = 0;
  fc.assert(
    fc.property(randomSpec, (text) => {
      const c = compile(text);
      if (!c.ok) return; // the generator aims at valid models; the checker decides
      const ir = c.models[0]!;
      checked++;
      const model = createModel(ir, seeded(checked));
      const x = tf.randomUniform([2, ...ir.input.shape]);
      for (const training of [true, false]) {
        const traces = model.traceShapes(x, { training, rng: seeded(1) });
        expect(traces.length).toBe(ir.encoder.length + 1 + ir.decoder.length);
        for (const t of traces) expect({ where: t.where, shape: t.shape }, text).toEqual({ where: t.where, shape: [...t.expected] });
        expect(traces[traces.length - 1]!.shape).toEqual([...ir.input.shape]);
      }
      x.dispose();
      model.afterStep(null as never, seeded(2));
      model.dispose();
    }),
    { numRuns: 80, seed: 2024 },
  );
  expect(checked).toBeGreaterThanOrEqual(50);
});
