/**
 * The decoder of a trained model on its own, to decode latents the encoder
 * never produced (importance samples, interpolations). The model contract
 * (model-api.ts) exposes only the whole forward pass, so the decoder's
 * layers are built again from the IR and given the trained model's
 * variables by their stable names ("decoder.3.kernel"). A decode(z) on
 * TfModel would make this file unnecessary.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../src/data/rng.js";
import type { TfModel } from "../model-api.js";
import { buildStack, disposeStack, runStack } from "../model/stack.js";
import { VariableStore } from "../model/variables.js";

export interface DecoderReplica {
  /** Decodes latents [n, ...latentShape] in evaluation mode; call inside tf.tidy. */
  decode(z: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** The replica, or a reason why the model's variables do not fit it. */
export function decoderReplica(model: TfModel): DecoderReplica | string {
  const store = new VariableStore();
  const stack = buildStack(model.ir.decoder, "decoder", store, new Rng(0, "eval/decoder"));
  const trained = new Map([...model.trainable, ...model.state].map((v) => [v.name, v.variable]));
  for (const v of [...store.trainable, ...store.state]) {
    const from = trained.get(v.name);
    if (from === undefined || from.shape.join() !== v.variable.shape.join()) {
      disposeStack(stack);
      store.dispose();
      return `the decoder's variable '${v.name}' is not in the trained model`;
    }
    v.variable.assign(from);
  }
  const run = { training: false, rng: new Rng(0, "eval/decoder") };
  return {
    decode: (z) => runStack(stack, z, run),
    dispose() {
      disposeStack(stack);
      store.dispose();
    },
  };
}
