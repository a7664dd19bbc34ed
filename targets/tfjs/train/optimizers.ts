/**
 * The optimizers of the IR as tf.train optimizers, and their state as plain
 * arrays so a checkpoint restores it exactly.
 *
 * tf.train's getWeights()/setWeights() cover the slots (moments, accumulators)
 * and the iteration count. Adam also keeps beta1^t and beta2^t, which it
 * updates by repeated multiplication but which setWeights recomputes with
 * pow(): the two differ in the last bits of float32, so a resumed run would
 * drift. They are saved and put back as they were.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Optimizer as IrOptimizer, OptimizerKind } from "../../../src/ir/train.js";
import type { NamedVariable } from "../model-api.js";
import { adamForBackend } from "../native/adam.js";
import type { OptimizerState, SavedSlot } from "../../../src/run/checkpoint.js";

export type { OptimizerState, SavedSlot } from "../../../src/run/checkpoint.js";

type Builder<K extends OptimizerKind> = (o: Extract<IrOptimizer, { kind: K }>) => tf.Optimizer;

const BUILDERS: { readonly [K in OptimizerKind]: Builder<K> } = {
  // On wasm+blas, one native update per variable (native/adam.ts); tf.train.adam elsewhere.
  adam: (o) => adamForBackend(o.lr, o.beta1, o.beta2, o.epsilon),
  sgd: (o) => (o.momentum > 0 ? tf.train.momentum(o.lr, o.momentum) : tf.train.sgd(o.lr)),
  rmsprop: (o) => tf.train.rmsprop(o.lr, o.decay, o.momentum, o.epsilon),
};

export function makeOptimizer(o: IrOptimizer): tf.Optimizer {
  return (BUILDERS[o.kind] as Builder<OptimizerKind>)(o);
}

/**
 * Sets the rate the optimizer's next step takes (a schedule's, src/run/lr-schedule.ts).
 * tf.train's sgd and momentum keep it as a scalar tensor, remade by
 * setLearningRate; adam and rmsprop read the number at every step.
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // By class name: tf.train's classes answer instanceof for one another's instances.
  const name = opt.getClassName();
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (name === "SGD" || name === "Momentum") {
    if (o.learningRate !== lr) o.setLearningRate!(lr);
  } else if (name === "Adam" || name === "RMSProp") {
    o.learningRate = lr;
  } else {
    throw new Error(`internal: no way to set the learning rate of ${name}`);
  }
}

/**
 * Disposes an optimizer and all its tensors. tf.train.momentum's dispose()
 * forgets the learning-rate scalar that its parent class (sgd) keeps.
 */
export function disposeOptimizer(opt: tf.Optimizer): void {
  opt.dispose();
  const c = (opt as unknown as { c?: tf.Tensor }).c;
  if (opt instanceof tf.MomentumOptimizer && c !== undefined && !c.isDisposed) c.dispose();
}

/** Adam's private running powers of beta1 and beta2 (see the file comment). */
interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/**
 * Slots come in tf.train's order, groups of one per variable in the order the
 * gradients were applied (the trainable order): slot i of a group belongs to
 * trainable[i].
 */
export async function saveOptimizer(kind: OptimizerKind, opt: tf.Optimizer, trainable: readonly NamedVariable[]): Promise<OptimizerState> {
  const weights = await opt.getWeights();
  const [iterationsTensor, ...slotTensors] = weights;
  if (iterationsTensor === undefined) throw new Error("internal: optimizer state has no iteration count");
  const iterations = (await iterationsTensor.tensor.data())[0]!;
  iterationsTensor.tensor.dispose();
  if (slotTensors.length % Math.max(trainable.length, 1) !== 0) {
    throw new Error(`internal: ${slotTensors.length} optimizer slots for ${trainable.length} variables`);
  }
  const slots: SavedSlot[] = [];
  for (let k = 0; k < slotTensors.length; k++) {
    const w = slotTensors[k]!;
    const owner = trainable[k % trainable.length]!;
    slots.push({ variable: owner.name, slot: slotName(w.name), shape: [...w.tensor.shape], values: Float32Array.from(await w.tensor.data()) });
  }
  const extras: Record<string, number> = {};
  const adam = opt as unknown as AdamInternals;
  if (kind === "adam" && adam.accBeta1 !== undefined && adam.accBeta2 !== undefined) {
    extras["accBeta1"] = (await adam.accBeta1.data())[0]!;
    extras["accBeta2"] = (await adam.accBeta2.data())[0]!;
  }
  return { kind, iterations, slots, extras };
}

/** Puts saved state into a fresh optimizer of the same kind, for the same trainable variables in the same order. */
export async function restoreOptimizer(opt: tf.Optimizer, state: OptimizerState, trainable: readonly NamedVariable[]): Promise<void> {
  if (trainable.length > 0 && state.slots.length % trainable.length !== 0) {
    throw new Error(`internal: ${state.slots.length} optimizer slots for ${trainable.length} variables`);
  }
  const named: { name: string; tensor: tf.Tensor }[] = [{ name: "iter", tensor: tf.scalar(state.iterations, "int32") }];
  state.slots.forEach((s, k) => {
    const owner = trainable[k % trainable.length]!;
    if (owner.name !== s.variable) throw new Error(`internal: optimizer slot ${k} belongs to ${s.variable}, not ${owner.name}`);
    named.push({ name: `${owner.variable.name}/${s.slot}`, tensor: tf.tensor(s.values, [...s.shape], "float32") });
  });
  await opt.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  const adam = opt as unknown as AdamInternals;
  const b1 = state.extras["accBeta1"];
  const b2 = state.extras["accBeta2"];
  if (b1 !== undefined && b2 !== undefined && adam.accBeta1 !== undefined && adam.accBeta2 !== undefined) {
    tf.tidy(() => {
      adam.accBeta1!.assign(tf.scalar(b1));
      adam.accBeta2!.assign(tf.scalar(b2));
    });
  }
}

/** "dense_3/m" -> "m". */
function slotName(name: string): string {
  const i = name.lastIndexOf("/");
  return i < 0 ? name : name.slice(i + 1);
}
