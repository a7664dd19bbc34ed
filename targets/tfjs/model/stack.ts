/**
 * A stack of IR layers built into parts: the encoder, the decoder, or a
 * discriminator block of an adversarial loss.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import { layerPrefix, type StackName } from "../../../src/ir/parameters.js";
import type { Layer } from "../../../src/ir/layers.js";
import type { InitScheme } from "../../../src/ir/train.js";
import { layerInitFor } from "./init.js";
import { LAYER_BUILDERS, type LayerBuilder } from "./layers.js";
import type { Part, RunContext } from "./parts.js";
import type { VariableStore } from "./variables.js";

export interface Stack {
  readonly layers: readonly Layer[];
  readonly parts: readonly Part[];
}

/** Builds `layers`; variables take the IR's names (layerPrefix: `encoder.3.kernel`, 3 the layer's place in the IR list). */
export function buildStack(layers: readonly Layer[], stackName: StackName, store: VariableStore, rng: Rng, scheme: InitScheme): Stack {
  const parts = layers.map((layer, i) => {
    const build = LAYER_BUILDERS[layer.kind] as LayerBuilder<Layer>;
    return build(layer, { prefix: layerPrefix(stackName, i), store, rng, init: layerInitFor(scheme, layers, i) });
  });
  return { layers, parts };
}

/** Runs the stack; `observe` (for tests and summaries) sees every layer's output. */
export function runStack(stack: Stack, x: tf.Tensor, run: RunContext, observe?: (index: number, layer: Layer, out: tf.Tensor) => void): tf.Tensor {
  let h = x;
  stack.parts.forEach((part, i) => {
    h = part.apply(h, run);
    observe?.(i, stack.layers[i]!, h);
  });
  return h;
}

export function stackAfterStep(stack: Stack, rng: Rng): void {
  for (const p of stack.parts) p.afterStep?.(rng);
}

export function disposeStack(stack: Stack): void {
  for (const p of stack.parts) p.dispose?.();
}
