/**
 * The tfjs target draws the first weights from the Rng, with the limits of
 * src/ir/init.ts. A kernel is drawn before its bias, so `he` and `glorot` draw
 * what they drew before biases could be random.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import { tensorName } from "../../../src/ir/parameters.js";
import { initLimits, type Fans, type LayerInit } from "../../../src/ir/init.js";
import { uniformTensor } from "./random.js";
import type { VariableStore } from "./variables.js";

/** A dense map's `${prefix}.kernel` [in, units] and `${prefix}.bias` [units] (a dense layer, a head, a projection). */
export function initDense(
  store: VariableStore,
  prefix: string,
  inFeatures: number,
  units: number,
  init: LayerInit,
  rng: Rng,
): { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> } {
  const { kernel, bias } = initWeights(store, prefix, [inFeatures, units], units, init, { fanIn: inFeatures, fanOut: units }, rng);
  return { kernel: kernel as tf.Variable<tf.Rank.R2>, bias };
}

/** `${prefix}.kernel` of `kernelShape` and `${prefix}.bias` of `[units]`, drawn in that order. */
export function initWeights(
  store: VariableStore,
  prefix: string,
  kernelShape: readonly number[],
  units: number,
  init: LayerInit,
  fans: Fans,
  rng: Rng,
): { kernel: tf.Variable; bias: tf.Variable<tf.Rank.R1> } {
  const limits = initLimits(init, fans);
  const kernel = store.weight(tensorName(prefix, "kernel"), uniformTensor(kernelShape, limits.kernel, rng));
  const bias = store.weight(
    tensorName(prefix, "bias"),
    limits.bias > 0 ? uniformTensor([units], limits.bias, rng) : tf.zeros([units]),
  ) as tf.Variable<tf.Rank.R1>;
  return { kernel, bias };
}

export { layerInitFor, linearInit, type Fans, type LayerInit } from "../../../src/ir/init.js";
