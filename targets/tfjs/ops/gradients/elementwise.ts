/**
 * Gradients of element-wise kernels. tfjs-core's CommonJS build (the one
 * Node loads) registers no gradients at all: the `@tensorflow/tfjs` bundle
 * normally does, and this project depends on tfjs-core alone.
 */
import * as tf from "@tensorflow/tfjs-core";
import { unbroadcast, zerosOf } from "./broadcast.js";

export type GradEntry = Omit<tf.GradConfig, "kernelName">;

/** The gradient of a single-output kernel. */
const single = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor => dy as tf.Tensor;

/** Binary kernels with broadcasting: inputs `a` and `b`. */
function binary(da: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor, db: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor): GradEntry {
  return {
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => unbroadcast(da(single(dy), a, b), a.shape), b: () => unbroadcast(db(single(dy), a, b), b.shape) };
    },
  };
}

/** Unary kernels of input `x`, from the input. */
function fromInput(dx: (dy: tf.Tensor, x: tf.Tensor, attrs: tf.NamedAttrMap) => tf.Tensor): GradEntry {
  return { inputsToSave: ["x"], gradFunc: (dy, saved, attrs) => ({ x: () => dx(single(dy), saved[0]!, attrs) }) };
}

/** Unary kernels of input `x`, from the output (cheaper where y gives the derivative). */
function fromOutput(dx: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor): GradEntry {
  return { outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => dx(single(dy), saved[0]!) }) };
}

/** Kernels whose output does not vary smoothly with their inputs (comparisons, indices, rounding). */
export function zeroGrad(...inputs: string[]): GradEntry {
  return {
    inputsToSave: inputs,
    gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((name, i) => [name, () => zerosOf(saved[i]!)])),
  };
}

const asFloat = (t: tf.Tensor) => tf.cast(t, "float32");

export const ELEMENTWISE_GRADIENTS = {
  Add: binary(
    (dy) => dy,
    (dy) => dy,
  ),
  Sub: binary(
    (dy) => dy,
    (dy) => tf.neg(dy),
  ),
  Multiply: binary(
    (dy, _a, b) => tf.mul(dy, b),
    (dy, a) => tf.mul(dy, a),
  ),
  RealDiv: binary(
    (dy, _a, b) => tf.div(dy, b),
    (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b))),
  ),
  Maximum: binary(
    (dy, a, b) => tf.mul(dy, asFloat(tf.greaterEqual(a, b))),
    (dy, a, b) => tf.mul(dy, asFloat(tf.less(a, b))),
  ),
  Minimum: binary(
    (dy, a, b) => tf.mul(dy, asFloat(tf.lessEqual(a, b))),
    (dy, a, b) => tf.mul(dy, asFloat(tf.greater(a, b))),
  ),
  SquaredDifference: binary(
    (dy, a, b) => tf.mul(dy, tf.mul(tf.sub(a, b), 2)),
    (dy, a, b) => tf.mul(dy, tf.mul(tf.sub(b, a), 2)),
  ),
  Pow: binary(
    (dy, a, b) => tf.mul(dy, tf.mul(b, tf.pow(a, tf.sub(b, 1)))),
    // d/db a^b = a^b log a, taken as 0 where a <= 0 (as TensorFlow does).
    (dy, a, b) => tf.mul(dy, tf.where(tf.greater(a, 0), tf.mul(tf.pow(a, b), tf.log(a)), tf.zerosLike(a))),
  ),
  Neg: fromInput((dy) => tf.neg(dy)),
  Square: fromInput((dy, x) => tf.mul(dy, tf.mul(x, 2))),
  Sqrt: fromOutput((dy, y) => tf.div(dy, tf.mul(y, 2))),
  Rsqrt: fromOutput((dy, y) => tf.mul(dy, tf.mul(tf.pow(y, 3), -0.5))),
  Exp: fromOutput((dy, y) => tf.mul(dy, y)),
  Expm1: fromOutput((dy, y) => tf.mul(dy, tf.add(y, 1))),
  Log: fromInput((dy, x) => tf.div(dy, x)),
  Log1p: fromInput((dy, x) => tf.div(dy, tf.add(x, 1))),
  Reciprocal: fromOutput((dy, y) => tf.neg(tf.mul(dy, tf.square(y)))),
  Abs: fromInput((dy, x) => tf.mul(dy, tf.sign(x))),
  Relu: fromInput((dy, x) => tf.mul(dy, tf.step(x))),
  LeakyRelu: fromInput((dy, x, attrs) => tf.where(tf.greater(x, 0), dy, tf.mul(dy, attrs["alpha"] as number))),
  // elu(x) = x for x > 0, exp(x) - 1 otherwise: the slope there is y + 1.
  Elu: fromOutput((dy, y) => tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1)))),
  Erf: fromInput((dy, x) => tf.mul(dy, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI)))),
  Tanh: fromOutput((dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  Sigmoid: fromOutput((dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  Softplus: fromInput((dy, x) => tf.mul(dy, tf.sigmoid(x))),
  ClipByValue: fromInput((dy, x, attrs) => {
    const inside = tf.logicalAnd(tf.greaterEqual(x, attrs["clipValueMin"] as number), tf.lessEqual(x, attrs["clipValueMax"] as number));
    return tf.where(inside, dy, tf.zerosLike(dy));
  }),
  Cast: { gradFunc: (dy) => ({ x: () => tf.cast(single(dy), "float32") }) },
  Identity: { gradFunc: (dy) => ({ x: () => tf.clone(single(dy)) }) },
  Step: zeroGrad("x"),
  Floor: zeroGrad("x"),
  Ceil: zeroGrad("x"),
  Round: zeroGrad("x"),
  Sign: zeroGrad("x"),
  OnesLike: zeroGrad("x"),
  ZerosLike: zeroGrad("x"),
  IsNan: zeroGrad("x"),
  LogicalNot: zeroGrad("x"),
  OneHot: zeroGrad("indices"),
  ArgMax: zeroGrad("x"),
  ArgMin: zeroGrad("x"),
  Greater: zeroGrad("a", "b"),
  GreaterEqual: zeroGrad("a", "b"),
  Less: zeroGrad("a", "b"),
  LessEqual: zeroGrad("a", "b"),
  Equal: zeroGrad("a", "b"),
  NotEqual: zeroGrad("a", "b"),
  LogicalAnd: zeroGrad("a", "b"),
  LogicalOr: zeroGrad("a", "b"),
} satisfies Record<string, GradEntry>;
