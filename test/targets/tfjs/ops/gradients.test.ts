import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { GRADIENTS, type GradientKernel } from "../../../../targets/tfjs/ops/gradients/register.js";
import { expectGradientMatches, randomTensor, seeded, useBackend, values } from "./tf-helpers.js";

const rng = seeded(11);
let other: tf.Tensor;
let row: tf.Tensor;
let cube: tf.Tensor;
let batch: tf.Tensor;

beforeAll(async () => {
  await useBackend("cpu");
  other = randomTensor([3, 4], rng);
  row = randomTensor([4], rng);
  cube = randomTensor([4, 2, 3], rng);
  batch = randomTensor([2, 4, 2], rng);
});

const away = (t: tf.Tensor, from = 0.3) => tf.add(t, tf.mul(tf.sign(t), from)); // keeps inputs off kinks
const positive = (shape: number[]) => tf.add(tf.abs(randomTensor(shape, rng)), 0.5);

/**
 * One differentiable use of every kernel whose gradient we register, and its
 * input. Binary kernels are used with broadcasting against fixed operands,
 * from both sides.
 */
const CASES: Record<GradientKernel, { f: (x: tf.Tensor) => tf.Tensor; x: () => tf.Tensor } | "zero"> = {
  Add: { f: (x) => tf.add(tf.add(x, row), tf.add(other, x)), x: () => randomTensor([3, 4], rng) },
  Sub: { f: (x) => tf.sub(tf.sub(x, row), tf.mul(tf.sub(tf.reshape(row, [1, 4]), tf.slice(x, [0, 0], [1, 4])), 2)), x: () => randomTensor([3, 4], rng) },
  Multiply: { f: (x) => tf.mul(tf.mul(x, other), tf.mul(row, x)), x: () => randomTensor([3, 4], rng) },
  RealDiv: { f: (x) => tf.add(tf.div(x, tf.add(tf.abs(other), 1)), tf.div(other, tf.add(tf.square(x), 1))), x: () => randomTensor([3, 4], rng) },
  Maximum: { f: (x) => tf.maximum(x, tf.add(x, away(row))), x: () => randomTensor([3, 4], rng) },
  Minimum: { f: (x) => tf.minimum(x, tf.add(x, away(row))), x: () => randomTensor([3, 4], rng) },
  SquaredDifference: { f: (x) => tf.add(tf.squaredDifference(x, row), tf.squaredDifference(other, x)), x: () => randomTensor([3, 4], rng) },
  Pow: { f: (x) => tf.add(tf.pow(x, 3), tf.pow(tf.add(tf.abs(other), 0.5), x)), x: () => positive([3, 4]) },
  Neg: { f: (x) => tf.neg(x), x: () => randomTensor([5], rng) },
  Square: { f: (x) => tf.square(x), x: () => randomTensor([5], rng) },
  Sqrt: { f: (x) => tf.sqrt(x), x: () => positive([5]) },
  Rsqrt: { f: (x) => tf.rsqrt(x), x: () => positive([5]) },
  Exp: { f: (x) => tf.exp(x), x: () => randomTensor([5], rng) },
  Expm1: { f: (x) => tf.expm1(x), x: () => randomTensor([5], rng) },
  Log: { f: (x) => tf.log(x), x: () => positive([5]) },
  Log1p: { f: (x) => tf.log1p(x), x: () => positive([5]) },
  Reciprocal: { f: (x) => tf.reciprocal(x), x: () => positive([5]) },
  Abs: { f: (x) => tf.abs(x), x: () => away(randomTensor([6], rng)) },
  Relu: { f: (x) => tf.relu(x), x: () => away(randomTensor([6], rng)) },
  LeakyRelu: { f: (x) => tf.leakyRelu(x, 0.2), x: () => away(randomTensor([6], rng)) },
  Elu: { f: (x) => tf.elu(x), x: () => away(randomTensor([6], rng)) },
  Erf: { f: (x) => tf.erf(x), x: () => randomTensor([6], rng) },
  Tanh: { f: (x) => tf.tanh(x), x: () => randomTensor([6], rng) },
  Sigmoid: { f: (x) => tf.sigmoid(x), x: () => randomTensor([6], rng, 3) },
  Softplus: { f: (x) => tf.softplus(x), x: () => randomTensor([6], rng, 3) },
  ClipByValue: { f: (x) => tf.clipByValue(x, -0.5, 0.5), x: () => tf.tensor([-0.9, -0.2, 0.1, 0.3, 0.8]) },
  Cast: { f: (x) => tf.cast(x, "float32"), x: () => randomTensor([4], rng) },
  Identity: { f: (x) => tf.clone(x), x: () => randomTensor([4], rng) },
  Sum: { f: (x) => tf.concat([tf.reshape(tf.sum(x, 1), [-1]), tf.reshape(tf.sum(tf.square(x), [0, 2], true), [-1])]), x: () => randomTensor([2, 3, 4], rng) },
  Mean: { f: (x) => tf.add(tf.mean(x, 0), tf.mean(tf.square(x), -1, true)), x: () => randomTensor([3, 4], rng) },
  Max: { f: (x) => tf.max(x, 1), x: () => randomTensor([3, 4], rng) },
  Min: { f: (x) => tf.min(x, 0, true), x: () => randomTensor([3, 4], rng) },
  AddN: { f: (x) => tf.addN([x, tf.square(x), other]), x: () => randomTensor([3, 4], rng) },
  Reshape: { f: (x) => tf.square(tf.reshape(x, [4, 3])), x: () => randomTensor([3, 4], rng) },
  ExpandDims: { f: (x) => tf.mul(tf.expandDims(x, 1), tf.reshape(row, [1, 1, 4])), x: () => randomTensor([3, 4], rng) },
  Transpose: { f: (x) => tf.mul(tf.transpose(x, [2, 0, 1]), cube), x: () => randomTensor([2, 3, 4], rng) },
  Tile: { f: (x) => tf.square(tf.tile(x, [2, 3])), x: () => randomTensor([2, 3], rng) },
  Concat: { f: (x) => tf.concat([tf.square(x), x, other], 1), x: () => randomTensor([3, 4], rng) },
  Slice: { f: (x) => tf.slice(tf.square(x), [1, 1], [2, -1]), x: () => randomTensor([3, 4], rng) },
  PadV2: {
    f: (x) =>
      tf.pad(
        tf.square(x),
        [
          [1, 0],
          [2, 1],
        ],
        0.5,
      ),
    x: () => randomTensor([3, 4], rng),
  },
  Pack: { f: (x) => tf.stack([x, tf.square(x)], 1), x: () => randomTensor([3, 4], rng) },
  Unpack: { f: (x) => tf.add(tf.unstack(x, 1)[2]!, tf.square(tf.unstack(x, 1)[0]!)), x: () => randomTensor([3, 4], rng) },
  BroadcastTo: { f: (x) => tf.mul(tf.broadcastTo(x, [2, 3, 4]), tf.reshape(cube, [2, 3, 4])), x: () => randomTensor([3, 1], rng) },
  Select: { f: (x) => tf.where(tf.greater(other, 0), tf.square(x), tf.mul(x, 3)), x: () => randomTensor([3, 4], rng) },
  BatchMatMul: {
    // Every transpose combination, and a batch broadcast against x.
    f: (x) =>
      tf.concat(
        [
          tf.matMul(x, other, true, false),
          tf.matMul(other, x, false, true),
          tf.matMul(tf.transpose(x), other, true, true),
          tf.matMul(x, tf.transpose(other), false, false),
          tf.sum(tf.matMul(tf.reshape(x, [1, 3, 4]), batch), 0),
        ].map((t) => tf.reshape(t, [-1])),
      ),
    x: () => randomTensor([3, 4], rng),
  },
  Step: "zero",
  Floor: "zero",
  Ceil: "zero",
  Round: "zero",
  Sign: "zero",
  OnesLike: "zero",
  ZerosLike: "zero",
  IsNan: "zero",
  LogicalNot: "zero",
  OneHot: "zero",
  ArgMax: "zero",
  ArgMin: "zero",
  Greater: "zero",
  GreaterEqual: "zero",
  Less: "zero",
  LessEqual: "zero",
  Equal: "zero",
  NotEqual: "zero",
  LogicalAnd: "zero",
  LogicalOr: "zero",
};

describe("registered gradients against central finite differences", () => {
  for (const kernel of Object.keys(GRADIENTS) as GradientKernel[]) {
    const c = CASES[kernel];
    if (c === "zero") continue;
    it(kernel, () => {
      const x = c.x();
      expectGradientMatches(c.f, x, rng, { atol: 3e-3, rtol: 1e-2 });
      x.dispose();
    });
  }

  it("passes zero gradient through kernels whose output is piecewise constant", () => {
    // Every zero-gradient kernel sits on a path from x to the loss; only the smooth path counts.
    const x = tf.tensor([0.3, -1.2, 2.5, -0.4]);
    const f = (t: tf.Tensor) => {
      const flat = tf.cast(tf.argMax(tf.reshape(t, [2, 2]), 1), "float32");
      const hits = tf.cast(tf.oneHot(tf.argMin(tf.reshape(t, [2, 2]), 1), 2), "float32");
      const bools = [tf.greater(t, 0), tf.greaterEqual(t, 0), tf.less(t, 0), tf.lessEqual(t, 0), tf.equal(t, 0), tf.notEqual(t, 0), tf.isNaN(t)];
      const logic = tf.logicalOr(tf.logicalAnd(bools[0]!, tf.logicalNot(bools[2]!)), bools[6]!);
      const pieces = [
        tf.step(t),
        tf.floor(t),
        tf.ceil(t),
        tf.round(t),
        tf.sign(t),
        tf.onesLike(t),
        tf.zerosLike(t),
        ...bools.map((b) => tf.cast(b, "float32")),
        tf.cast(logic, "float32"),
      ];
      return tf.add(tf.add(tf.mul(t, 2), tf.sum(tf.addN(pieces))), tf.add(tf.sum(flat), tf.sum(hits)));
    };
    expect(values(tf.grad(f)(x))).toEqual([2, 2, 2, 2]);
  });
});
