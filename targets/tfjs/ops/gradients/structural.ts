/**
 * Gradients of reductions, shape and selection kernels, and of matMul with
 * explicit transposes (wasm's fast matMul takes no transpose flags).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GradEntry } from "./elementwise.js";
import { unbroadcast, zerosOf } from "./broadcast.js";
import { matMulTransposes } from "../matmul.js";

/** The gradient of a single-output kernel. */
const single = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor => dy as tf.Tensor;

/** dy of a reduction over `axes`, reshaped so it broadcasts against the input. */
function expandReduced(dy: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const shape = x.shape.slice();
  for (const a of axes) shape[a] = 1;
  return tf.reshape(dy, shape);
}

function minMax(attr: string): GradEntry {
  return {
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved as [tf.Tensor, tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs[attr] as number | number[], x.shape);
      const hit = tf.cast(tf.equal(x, expandReduced(y, x, axes)), "float32");
      return { x: () => tf.mul(expandReduced(single(dy), x, axes), hit) };
    },
  };
}

/** Swaps the last two axes. */
function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = t.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return tf.transpose(t, perm);
}

export const STRUCTURAL_GRADIENTS = {
  Sum: {
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const axes = tf.util.parseAxisParam(attrs["axis"] as number | number[], x.shape);
      return { x: () => tf.mul(expandReduced(single(dy), x, axes), tf.ones(x.shape, "float32")) };
    },
  },
  Mean: {
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const axes = tf.util.parseAxisParam(attrs["axis"] as number | number[], x.shape);
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      return { x: () => tf.mul(expandReduced(single(dy), x, axes), tf.fill(x.shape, 1 / count)) };
    },
  },
  Max: minMax("reductionIndices"),
  Min: minMax("axis"),
  AddN: {
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [String(i), () => tf.clone(single(dy))])),
  },
  Reshape: { inputsToSave: ["x"], gradFunc: (dy, saved) => ({ x: () => tf.reshape(single(dy), saved[0]!.shape) }) },
  ExpandDims: { inputsToSave: ["input"], gradFunc: (dy, saved) => ({ input: () => tf.reshape(single(dy), saved[0]!.shape) }) },
  Transpose: {
    gradFunc: (dy, _saved, attrs) => {
      const perm = attrs["perm"] as number[];
      return { x: () => tf.transpose(single(dy), tf.backend_util.getUndoAxesPermutation(perm)) };
    },
  },
  Tile: {
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const reps = attrs["reps"] as number[];
      // Tiling is rep-major on each axis: view dy as [r0, s0, r1, s1, ...] and sum the r axes.
      const split = x.shape.flatMap((s, i) => [reps[i]!, s]);
      const repAxes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(single(dy), split), repAxes), x.shape) };
    },
  },
  Concat: {
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs["axis"] as number, saved[0]!.shape)[0]!;
      const parts = tf.split(
        single(dy),
        saved.map((t) => t.shape[axis]!),
        axis,
      );
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  Slice: {
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs["begin"] as number[], attrs["size"] as number[]) as [number[], number[]];
      const paddings = x.shape.map((s, i) => [begin[i]!, s - begin[i]! - size[i]!] as [number, number]);
      return { x: () => tf.pad(single(dy), paddings) };
    },
  },
  PadV2: {
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const begin = (attrs["paddings"] as [number, number][]).map((p) => p[0]);
      return { x: () => tf.slice(single(dy), begin, x.shape) };
    },
  },
  Pack: {
    saveAllInputs: true,
    gradFunc: (dy, _saved, attrs) => {
      const parts = tf.unstack(single(dy), attrs["axis"] as number);
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  Unpack: { gradFunc: (dy, _saved, attrs) => ({ value: () => tf.stack(dy as tf.Tensor[], attrs["axis"] as number) }) },
  BroadcastTo: {
    gradFunc: (dy, _saved, attrs) => ({ x: () => unbroadcast(single(dy), attrs["inputShape"] as number[]) }),
  },
  Select: {
    inputsToSave: ["condition"],
    gradFunc: (dy, saved) => {
      const cond = saved[0]!;
      const d = single(dy);
      return {
        condition: () => zerosOf(cond),
        t: () => tf.mul(d, tf.cast(cond, "float32")),
        e: () => tf.mul(d, tf.cast(tf.logicalNot(cond), "float32")),
      };
    },
  },
  BatchMatMul: {
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const ta = attrs["transposeA"] === true;
      const tb = attrs["transposeB"] === true;
      const d = single(dy);
      if (matMulTransposes() === "flags") {
        // The same products, the transposes left to the kernel's flags.
        return {
          a: () => unbroadcast(ta ? tf.matMul(b, d, tb, true) : tf.matMul(d, b, false, !tb), a.shape),
          b: () => unbroadcast(tb ? tf.matMul(d, a, true, ta) : tf.matMul(a, d, !ta, false), b.shape),
        };
      }
      // y = op(a) op(b): d op(a) = dy op(b)^T, d op(b) = op(a)^T dy, each a plain product.
      const opBT = tb ? b : swapLast(b);
      const opAT = ta ? a : swapLast(a);
      return {
        a: () => {
          const g = tf.matMul(d, opBT);
          return unbroadcast(ta ? swapLast(g) : g, a.shape);
        },
        b: () => {
          const g = tf.matMul(opAT, d);
          return unbroadcast(tb ? swapLast(g) : g, b.shape);
        },
      };
    },
  },
} satisfies Record<string, GradEntry>;
