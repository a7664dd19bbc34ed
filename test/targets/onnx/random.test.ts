/**
 * Parity on random valid models (random layer stacks, sizes and
 * bottlenecks, from the tfjs target's generator), each exported with its
 * random initial weights (biases and statistics randomised too); and random
 * ladders (one to four levels, with and without skip), which that
 * generator does not make.
 */
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { compile } from "../../../src/compile.js";
import { useBackend } from "../tfjs/ops/tf-helpers.js";
import { randomSpec } from "../tfjs/model/random-spec.js";
import { checkParity } from "./parity-check.js";

beforeAll(() => useBackend("cpu"));

const RUNS = 100;
const SEED = Number(process.env["ONNX_RANDOM_SEED"] ?? 4242);

it(`the ONNX export of ${RUNS} random valid models agrees with tfjs`, async () => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(randomSpec, async (text) => {
      const c = compile(text);
      fc.pre(c.ok);
      checked++;
      await checkParity(c.models[0]!, checked);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  expect(checked).toBe(RUNS);
}, 120_000);

const ladderSpec = fc
  .record({
    input: fc.integer({ min: 1, max: 6 }),
    hidden: fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom("", "relu", "tanh", "elu")), { maxLength: 2 }),
    levels: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
    skip: fc.boolean(),
    decoder: fc.integer({ min: 1, max: 6 }),
  })
  .map(
    ({ input, hidden, levels, skip, decoder }) => `model r {
  input: [${input}]
  encoder { ${hidden.map(([u, a]) => `dense(${u}) ${a}`).join(" ")} }
  bottleneck: ladder(skip: ${skip}) { ${levels.map((u) => `gaussian(${u})`).join(" ")} }
  decoder { dense(${decoder}) relu dense(${input}) }
  loss { reconstruction(mse) kl() }
}`,
  );

const LADDER_RUNS = 25;

it(`the ONNX export of ${LADDER_RUNS} random ladders agrees with tfjs`, async () => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(ladderSpec, async (text) => {
      const c = compile(text);
      if (!c.ok) throw new Error(`the generator made an invalid ladder: ${c.diagnostics.map((d) => d.message).join("; ")}\n${text}`);
      checked++;
      await checkParity(c.models[0]!, 1000 + checked);
    }),
    { numRuns: LADDER_RUNS, seed: SEED },
  );
  expect(checked).toBe(LADDER_RUNS);
}, 60_000);
