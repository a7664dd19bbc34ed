/**
 * Shared helpers of the tfjs target's tests: backends, compiled models,
 * gradient checks against central finite differences.
 */
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { compile } from "../../../../src/compile.js";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import { selectBackend, TFJS_BACKEND, type BackendName } from "../../../../targets/tfjs/backend.js";

export async function useBackend(name: BackendName): Promise<void> {
  const b = await selectBackend(name);
  if (b.error !== null) throw new Error(b.error);
  expect(tf.getBackend()).toBe(TFJS_BACKEND[name]);
}

/** The only model of a spec text that must check without errors. */
export function irOf(text: string, overrides: readonly string[] = []): IrModel {
  const c = compile(text, { file: "test.aespec", overrides });
  if (!c.ok || c.models.length !== 1) throw new Error(`spec does not check: ${c.diagnostics.map((d) => d.message).join("; ")}`);
  return c.models[0]!;
}

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as Float32Array);
}

/** Uniform in [-scale, scale). */
export function randomValues(n: number, rng: Rng, scale = 1): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < v.length; i++) v[i] = (2 * rng.next() - 1) * scale;
  return v;
}

export function randomTensor(shape: number[], rng: Rng, scale = 1): tf.Tensor {
  return tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      rng,
      scale,
    ),
    shape,
  );
}

export interface Tolerance {
  readonly atol?: number;
  readonly rtol?: number;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, { atol = 1e-5, rtol = 1e-5 }: Tolerance = {}): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/**
 * d/dx of sum(f(x) * weights), weights random: the analytic gradient tfjs
 * computes and the central finite difference (step h, float32 evaluation).
 */
export function gradientPair(f: (x: tf.Tensor) => tf.Tensor, x0: tf.Tensor, rng: Rng, h = 1e-2): { analytic: number[]; numeric: number[] } {
  const weights = tf.tidy(() => randomTensor(f(x0).shape, rng));
  const loss = (x: tf.Tensor) => tf.sum(tf.mul(f(x), weights));
  const analytic = tf.tidy(() => values(tf.grad(loss)(x0)));
  const base = x0.dataSync() as Float32Array;
  const numeric = Array.from(base, (_, i) => {
    const at = (delta: number) =>
      tf.tidy(() => {
        const v = Float32Array.from(base);
        v[i] = v[i]! + delta;
        return loss(tf.tensor(v, x0.shape, x0.dtype)).dataSync()[0]!;
      });
    return (at(h) - at(-h)) / (2 * h);
  });
  weights.dispose();
  return { analytic, numeric };
}

export function expectGradientMatches(f: (x: tf.Tensor) => tf.Tensor, x0: tf.Tensor, rng: Rng, tol: Tolerance & { h?: number } = {}): void {
  const { analytic, numeric } = gradientPair(f, x0, rng, tol.h);
  expectClose(analytic, numeric, { atol: tol.atol ?? 2e-3, rtol: tol.rtol ?? 1e-2 });
}

export const seeded = (seed: number) => new Rng(seed, "tfjs-test");
