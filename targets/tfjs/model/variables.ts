/**
 * The model's variables under stable names ("encoder.1.kernel"): checkpoints
 * key on the names. The tf.Variable names are left to tfjs (they must be
 * unique in the whole process, and two models may coexist).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { NamedVariable } from "../model-api.js";

export class VariableStore {
  readonly trainable: NamedVariable[] = [];
  readonly state: NamedVariable[] = [];
  private readonly names = new Set<string>();

  /** A trainable variable holding `initial` (which it takes over). */
  weight(name: string, initial: tf.Tensor): tf.Variable {
    return this.add(name, initial, true, this.trainable);
  }

  /** Non-trainable state (moving statistics, EMA codebooks). */
  stateVariable(name: string, initial: tf.Tensor): tf.Variable {
    return this.add(name, initial, false, this.state);
  }

  dispose(): void {
    for (const v of [...this.trainable, ...this.state]) v.variable.dispose();
  }

  private add(name: string, initial: tf.Tensor, trainable: boolean, into: NamedVariable[]): tf.Variable {
    if (this.names.has(name)) throw new Error(`internal: variable name '${name}' used twice`);
    this.names.add(name);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    into.push({ name, variable });
    return variable;
  }
}
