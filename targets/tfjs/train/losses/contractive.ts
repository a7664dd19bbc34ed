/**
 * The contractive term (Rifai et al. 2011): weight times the squared
 * Frobenius norm of the Jacobian of the encoder's code (the latent of a
 * deterministic bottleneck, the mean of a Gaussian one) with respect to the
 * clean input, averaged over the batch.
 *
 * Method: the closed form of targets/tfjs/ops/jacobian.ts. tfjs has no
 * Jacobian op; one vector-Jacobian product per latent unit would need the
 * gradient of a gradient under the training tape, and that is silently wrong
 * here: tfjs's engine does record a nested backward pass (tf.matMul and this
 * repo's customGrad dense alike), but a gradient computed from its op's saved
 * output (tanh, sigmoid: targets/tfjs/ops/gradients/elementwise.ts) is not
 * differentiated through that output (for |d/dx sum tanh(x W)|^2, d/dW_11 came
 * out 2.569 where finite differences give 2.252). For an encoder of dense layers and element-wise maps
 * the Jacobian is H^T D_L W_L^T ... D_1 W_1^T, propagated from the code side:
 * exact, with first-order gradients only, at the cost of one backward pass of
 * the encoder per propagated row.
 *
 * Rows: all `units` of them (exact) in evaluation, and in training when the
 * code has at most PROBES units; in training with a wider code, PROBES random
 * sign vectors v per example (Hutchinson's estimator: E |v^T J|^2 = |J|_F^2
 * when E v v^T = I), fresh from the run's stream each step, so a step costs
 * at most PROBES backward passes of the encoder. Measured on wasm for
 * specs/deep.aespec (784-512-128-32, batch 128; `npm run figures --
 * contractive`): exact rows would make a step about 280 ms, 9 times the
 * plain deep_ae's 31 ms; 4 probes make it 83 ms (an epoch about 40 s against 17 s);
 * on a test batch the 4-probe estimate's spread is 1.4% of the batch mean,
 * below the 2.0% that sampling the batch itself gives (1 probe: 2.3%).
 *
 * The encoder is run again on the clean input, in the forward pass's mode:
 * in training a dropout layer draws a fresh mask from the run's stream (the
 * penalty is then an unbiased estimate of its mean over masks), a corruption
 * is not applied. Layers whose Jacobian is not a diagonal or a plain matrix
 * per example (conv, deconv, batchnorm, whose training statistics couple the
 * examples, layernorm, a dense layer on a map) and latents that are maps are
 * refused before training, at the term's span, naming the layer in the way.
 */
import * as tf from "@tensorflow/tfjs-core";
import { diag, type Diagnostic } from "../../../../src/diagnostics/diagnostic.js";
import type { Span } from "../../../../src/diagnostics/span.js";
import type { Rng } from "../../../../src/data/rng.js";
import type { Layer, LayerKind } from "../../../../src/ir/layers.js";
import type { LossTerm } from "../../../../src/ir/losses.js";
import type { IrModel } from "../../../../src/ir/model.js";
import type { TfModel } from "../../model-api.js";
import { ACTIVATION_FUNCTIONS } from "../../model/activations.js";
import { bernoulliTensor } from "../../model/random.js";
import { ACTIVATION_DERIVATIVES } from "../../ops/activation-derivatives.js";
import { chainJacobianSquaredNorms, type ChainFactor, type JacobianRows } from "../../ops/jacobian.js";
import { dense } from "../../ops/matmul.js";

type ContractiveTerm = Extract<LossTerm, { kind: "contractive" }>;

interface RunContext {
  readonly prefix: string;
  readonly variable: (name: string) => tf.Tensor;
  readonly training: boolean;
  readonly rng: Rng;
}

interface LayerJacobian<L extends Layer> {
  /** Why the closed form does not apply to this layer, or null when it does. */
  readonly refuse: (layer: L) => string | null;
  /** Runs the layer on h (batch first) as the model does, and appends its factor of the Jacobian. */
  readonly apply: (layer: L, h: tf.Tensor, run: RunContext, factors: ChainFactor[]) => tf.Tensor;
}

const flat = (t: tf.Tensor) => tf.reshape(t, [t.shape[0]!, -1]) as tf.Tensor2D;
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const notPerExample = (what: string) => () => `${what}, whose Jacobian is not a diagonal or a dense matrix per example`;

const LAYER_JACOBIANS: { readonly [K in LayerKind]: LayerJacobian<Extract<Layer, { kind: K }>> } = {
  dense: {
    refuse: (l) => (l.inShape.length === 1 ? null : `dense on a map ${JSON.stringify(l.inShape)} (flatten before it)`),
    apply: (_l, h, run, factors) => {
      const kernel = run.variable(`${run.prefix}.kernel`) as tf.Tensor2D;
      factors.push({ kind: "linear", kernel });
      return dense(h, kernel, run.variable(`${run.prefix}.bias`) as tf.Tensor1D);
    },
  },
  activation: {
    refuse: () => null,
    apply: (l, h, _run, factors) => {
      factors.push({ kind: "diagonal", derivative: flat(ACTIVATION_DERIVATIVES[l.fn](h, l.alpha)) });
      return ACTIVATION_FUNCTIONS[l.fn](h, l.alpha);
    },
  },
  flatten: { refuse: () => null, apply: (l, h) => tf.reshape(h, [h.shape[0]!, product(l.inShape)]) },
  reshape: { refuse: () => null, apply: (l, h) => tf.reshape(h, [h.shape[0]!, ...l.target]) },
  dropout: {
    refuse: () => null,
    apply: (l, h, run, factors) => {
      if (!run.training || l.rate === 0) return h;
      const mask = bernoulliTensor(h.shape, l.rate, 1 / (1 - l.rate), 0, run.rng);
      factors.push({ kind: "diagonal", derivative: flat(mask) });
      return tf.mul(h, mask);
    },
  },
  conv: { refuse: notPerExample("conv"), apply: () => unreachable("conv") },
  deconv: { refuse: notPerExample("deconv"), apply: () => unreachable("deconv") },
  batchnorm: { refuse: () => "batchnorm, whose training statistics make each code depend on the whole batch", apply: () => unreachable("batchnorm") },
  layernorm: { refuse: notPerExample("layernorm"), apply: () => unreachable("layernorm") },
};

function unreachable(kind: string): never {
  throw new Error(`internal: the contractive term reached a ${kind} layer it refuses`);
}

/** The variable holding the code's head: the deterministic projection, or the Gaussian's mean. */
function headName(ir: IrModel): string {
  if (ir.bottleneck.kind === "deterministic") return "bottleneck.kernel";
  if (ir.bottleneck.kind === "gaussian") return "bottleneck.mean.kernel";
  throw new Error(`internal: the contractive term on a ${ir.bottleneck.kind} bottleneck`);
}

/** The first thing in the way of the closed-form Jacobian, with its span; null when there is none. */
function obstacle(ir: IrModel): { what: string; span: Span } | null {
  for (const layer of ir.encoder) {
    const why = (LAYER_JACOBIANS[layer.kind] as LayerJacobian<Layer>).refuse(layer);
    if (why !== null) return { what: `the encoder's ${why}`, span: layer.span };
  }
  const b = ir.bottleneck;
  if (b.kind !== "deterministic" && b.kind !== "gaussian") return { what: `a ${b.kind} bottleneck`, span: b.span };
  if (b.inShape.length !== 1) return { what: `a bottleneck on a map ${JSON.stringify(b.inShape)} (end the encoder with flatten)`, span: b.span };
  return null;
}

/** AE3102 at the term's span when this target cannot compute the term's Jacobian for `ir`'s encoder. */
export function contractiveUnsupported(term: ContractiveTerm, ir: IrModel): Diagnostic | null {
  const o = obstacle(ir);
  if (o === null) return null;
  return diag("AE3102", `the contractive term is not supported by the TensorFlow.js target with ${o.what}`, term.span, {
    related: [{ span: o.span, message: "in the way of the encoder's Jacobian" }],
    hint: "the contractive term takes an encoder of dense layers, activations, dropout, flatten and reshape, and a vector latent",
  });
}

/** Random sign vectors per example in training when the code has more units than this. */
export const PROBES = 4;

export interface JacobianOptions {
  readonly training: boolean;
  readonly rng: Rng;
  /** Force exact rows, or this many probes per example (tests); by default as the header says. */
  readonly rows?: "exact" | number;
}

function rowsFor(units: number, batch: number, opts: JacobianOptions): JacobianRows {
  const k = opts.rows ?? (opts.training && units > PROBES ? PROBES : "exact");
  if (k === "exact") return { kind: "exact" };
  // Rademacher: each sign +1 or -1 with probability 1/2.
  return { kind: "probes", probes: bernoulliTensor([batch * k, units], 0.5, 1, -1, opts.rng) as tf.Tensor2D, perExample: k };
}

/**
 * |J(x)|_F^2 per example [batch] (or its estimate), J the Jacobian of the
 * code with respect to the input x [batch, ...input shape]. Also returns the
 * code, as this re-run of the encoder computed it (a test holds it equal to
 * the model's). The weights are found by the names targets/tfjs/model gives
 * them ("encoder.3.kernel", "bottleneck.mean.kernel"), the names checkpoints
 * key on. Call inside a tidy (or a tape).
 */
export function codeJacobianSquaredNorms(model: TfModel, x: tf.Tensor, opts: JacobianOptions): { norms: tf.Tensor1D; code: tf.Tensor } {
  const { ir } = model;
  const byName = new Map(model.trainable.map((v) => [v.name, v.variable as tf.Tensor]));
  const variable = (name: string): tf.Tensor => {
    const v = byName.get(name);
    if (v === undefined) throw new Error(`internal: the contractive term found no variable '${name}' in the model`);
    return v;
  };
  const factors: ChainFactor[] = [];
  let h = x;
  ir.encoder.forEach((layer, i) => {
    const run: RunContext = { prefix: `encoder.${i}`, variable, training: opts.training, rng: opts.rng };
    h = (LAYER_JACOBIANS[layer.kind] as LayerJacobian<Layer>).apply(layer, h, run, factors);
  });
  const head = headName(ir);
  const kernel = variable(head) as tf.Tensor2D;
  const code = dense(h, kernel, variable(head.replace(/kernel$/, "bias")) as tf.Tensor1D);
  const batch = x.shape[0]!;
  return { norms: chainJacobianSquaredNorms(factors, kernel, batch, rowsFor(kernel.shape[1], batch, opts)), code };
}

/** weight * mean over the batch of |J|_F^2, at the clean input. */
export function contractivePenalty(weight: number, model: TfModel, x: tf.Tensor, opts: JacobianOptions): tf.Scalar {
  return tf.mul(tf.mean(codeJacobianSquaredNorms(model, x, opts).norms), weight) as tf.Scalar;
}
