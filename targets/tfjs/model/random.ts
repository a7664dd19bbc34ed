/**
 * Random tensors drawn on the CPU from the seeded Rng, so that every run,
 * on every backend, sees the same noise (tfjs's own random ops have their
 * own seeding and differ between backends).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Standard normal draws. */
export function normalTensor(shape: readonly number[], rng: Rng): tf.Tensor {
  const v = new Float32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return tf.tensor(v, [...shape], "float32");
}

/** Uniform draws in [-limit, limit). */
export function uniformTensor(shape: readonly number[], limit: number, rng: Rng): tf.Tensor {
  const v = new Float32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = (2 * rng.next() - 1) * limit;
  return tf.tensor(v, [...shape], "float32");
}

/** Each entry `dropped` with probability `rate`, else `kept`. */
export function bernoulliTensor(shape: readonly number[], rate: number, kept: number, dropped: number, rng: Rng): tf.Tensor {
  const v = new Float32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = rng.next() < rate ? dropped : kept;
  return tf.tensor(v, [...shape], "float32");
}
