/**
 * Builds the tfjs model of an IR model: corruption (training only), encoder,
 * bottleneck, decoder, with weights drawn from the Rng.
 *
 * afterStep reads nothing from the Forward it is given: a training forward
 * keeps (as clones, outside tf.tidy) what afterStep needs (batchnorm batch
 * statistics, VQ assignments and encoder outputs), and afterStep consumes
 * and frees them. So the trainer may run forward inside optimizer.minimize
 * and let everything it returned be disposed.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { Bottleneck } from "../../../src/ir/bottleneck.js";
import type { Layer, Shape } from "../../../src/ir/layers.js";
import type { Corruption } from "../../../src/ir/losses.js";
import type { IrModel } from "../../../src/ir/model.js";
import { parameterTable } from "../../../src/ir/parameters.js";
import type { BuildModel, Forward, ForwardOptions, NamedVariable, TfModel } from "../model-api.js";
import { registerGradients } from "../ops/gradients/register.js";
import { createAdversary } from "../train/adversary.js";
import { BOTTLENECK_BUILDERS, type BottleneckBuilder } from "./bottlenecks.js";
import { CORRUPTIONS, type Corrupted, type InputRange } from "./corruptions.js";
import { buildStack, disposeStack, runStack, stackAfterStep } from "./stack.js";
import { unsupportedFeatures, UnsupportedError } from "./support.js";
import { VariableStore } from "./variables.js";

export interface TfjsForward extends Forward {
  /** With a mask corruption in training: 1 where the input was hidden, shaped like the input; else null. */
  readonly hidden: tf.Tensor | null;
}

/** One layer's output shape (without the batch) against the IR's. */
export interface ShapeTrace {
  readonly where: string;
  readonly kind: string;
  readonly shape: readonly number[];
  readonly expected: Shape;
}

export interface TfjsModel extends TfModel {
  forward(x: tf.Tensor, opts: ForwardOptions): TfjsForward;
  /** The forward pass, recording every layer's output shape (for tests and summaries); in training it also keeps what afterStep needs, as forward does. */
  traceShapes(x: tf.Tensor, opts: ForwardOptions): ShapeTrace[];
  /**
   * Decodes latents given at the prior's level, z of shape [batch, ...priorShape]: for a ladder
   * its top level, run down the top-down path on prior means ("decode from the top"); for every
   * other bottleneck the decoder's own latent. Returns the decoder's output; call inside tf.tidy.
   */
  decode(z: tf.Tensor, opts: ForwardOptions): tf.Tensor;
  /** The per-example shape decode takes (a prior sample's): the ladder's top level, else the IR's latent shape. */
  readonly priorShape: readonly number[];
}

export const buildModel: BuildModel = (ir, rng) => createModel(ir, rng);

/** Throws UnsupportedError for what unsupportedFeatures reports; check that first. */
export function createModel(ir: IrModel, rng: Rng): TfjsModel {
  const problems = unsupportedFeatures(ir);
  if (problems.length > 0) throw new UnsupportedError(problems);
  registerGradients();
  const store = new VariableStore(parameterTable(ir).model);
  const scheme = ir.train.init;
  const encoder = buildStack(ir.encoder, "encoder", store, rng, scheme);
  const bottleneck = (BOTTLENECK_BUILDERS[ir.bottleneck.kind] as BottleneckBuilder<Bottleneck>)(ir.bottleneck, { store, rng, init: scheme });
  const decoder = buildStack(ir.decoder, "decoder", store, rng, scheme);
  store.complete();
  const trainable: readonly NamedVariable[] = store.trainable;
  const state: readonly NamedVariable[] = store.state;
  // An adversarial term's discriminator and its optimizer: outside trainable, drawn after every model weight (train/adversary.ts).
  const adversary = createAdversary(ir, rng);

  function corrupt(x: tf.Tensor, opts: ForwardOptions): Corrupted {
    const c = ir.corruption;
    if (!(opts.training || opts.corrupt === true) || c === null) return { encoderInput: x, hidden: null };
    const apply = CORRUPTIONS[c.kind] as (x: tf.Tensor, c: Corruption, range: InputRange, rng: Rng) => Corrupted;
    return apply(x, c, ir.input.range, opts.rng);
  }

  function run(x: tf.Tensor, opts: ForwardOptions, observe?: (where: string, layer: Layer | null, out: tf.Tensor) => void): TfjsForward {
    checkInput(ir, x);
    const { encoderInput, hidden } = corrupt(x, opts);
    const h = runStack(encoder, encoderInput, opts, observe && ((i, l, out) => observe(`encoder.${i}`, l, out)));
    const b = bottleneck.apply(h, opts);
    observe?.("bottleneck", null, b.latent);
    const reconstruction = runStack(decoder, b.latent, opts, observe && ((i, l, out) => observe(`decoder.${i}`, l, out)));
    return { input: x, encoderInput, latent: b.latent, reconstruction, gaussian: b.gaussian, vq: b.vq, ladder: b.ladder ?? null, hidden };
  }

  const priorShape = bottleneck.priorShape ?? ir.bottleneck.latentShape;
  function decode(z: tf.Tensor, opts: ForwardOptions): tf.Tensor {
    if (z.rank !== priorShape.length + 1 || priorShape.some((d, i) => z.shape[i + 1] !== d)) {
      throw new Error(`internal: model '${ir.name}' decodes [batch, ${priorShape.join(", ")}], got [${z.shape.join(", ")}]`);
    }
    return decodeLatent(bottleneck.fromPrior?.(z) ?? z, opts);
  }
  function decodeLatent(z: tf.Tensor, opts: ForwardOptions): tf.Tensor {
    return runStack(decoder, z, opts);
  }

  return {
    ir,
    trainable,
    state,
    adversary,
    forward: (x, opts) => run(x, opts),
    decode,
    decodeLatent,
    priorShape,
    traceShapes(x, opts) {
      const traces: ShapeTrace[] = [];
      tf.tidy(() => {
        run(x, opts, (where, layer, out) => {
          traces.push({ where, kind: layer?.kind ?? ir.bottleneck.kind, shape: out.shape.slice(1), expected: layer?.outShape ?? ir.bottleneck.latentShape });
        });
      });
      return traces;
    },
    afterStep(_f, stepRng) {
      stackAfterStep(encoder, stepRng);
      bottleneck.afterStep?.(stepRng);
      stackAfterStep(decoder, stepRng);
    },
    dispose() {
      disposeStack(encoder);
      bottleneck.dispose?.();
      disposeStack(decoder);
      store.dispose();
      adversary?.dispose();
    },
  };
}

function checkInput(ir: IrModel, x: tf.Tensor): void {
  const want = ir.input.shape;
  if (x.rank !== want.length + 1 || want.some((d, i) => x.shape[i + 1] !== d)) {
    throw new Error(`internal: model '${ir.name}' takes [batch, ${want.join(", ")}], got [${x.shape.join(", ")}]`);
  }
}
