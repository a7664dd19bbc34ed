/**
 * Parity on random valid models (random layer stacks, sizes and
 * bottlenecks, from the tfjs target's generator), each exported with its
 * random initial weights (biases and statistics randomised too).
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
