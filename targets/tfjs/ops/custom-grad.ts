/**
 * Typed wrappers around tf.customGrad (its own typing takes one rest
 * parameter mixing tensors and the save function).
 */
import * as tf from "@tensorflow/tfjs-core";

type Untyped = Parameters<typeof tf.customGrad>[0];

export interface Custom<Y extends tf.Tensor, G> {
  readonly value: Y;
  readonly gradFunc: (dy: Y, saved: tf.Tensor[]) => G;
}

/** An op of one tensor with a hand-written gradient. */
export function customGrad1<X extends tf.Tensor, Y extends tf.Tensor>(f: (x: X, save: tf.GradSaveFunc) => Custom<Y, tf.Tensor>): (x: X) => Y {
  const g = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => f(args[0] as X, args[1] as tf.GradSaveFunc)) as unknown as Untyped);
  return (x) => g(x) as Y;
}

/** An op of two tensors with a hand-written gradient (one per input, in order). */
export function customGrad2<A extends tf.Tensor, B extends tf.Tensor, Y extends tf.Tensor>(
  f: (a: A, b: B, save: tf.GradSaveFunc) => Custom<Y, [tf.Tensor, tf.Tensor]>,
): (a: A, b: B) => Y {
  const g = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => f(args[0] as A, args[1] as B, args[2] as tf.GradSaveFunc)) as unknown as Untyped);
  return (a, b) => g(a, b) as Y;
}
