/**
 * The model's variables under the IR's tensor names ("encoder.1.kernel",
 * src/ir/parameters.ts): checkpoints key on the names. The store holds the
 * IR's parameter table and refuses any variable the table does not list at
 * that place (name, shape, trainable or not), so the tfjs model and every
 * other reader of a checkpoint agree by construction. The tf.Variable names
 * are left to tfjs (they must be unique in the whole process, and two models
 * may coexist).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Parameter } from "../../../src/ir/parameters.js";
import type { NamedVariable } from "../model-api.js";

export class VariableStore {
  readonly trainable: NamedVariable[] = [];
  readonly state: NamedVariable[] = [];
  private created = 0;

  /** `expected`: the IR's tensors this store builds, in build order; null for a free store (tests of single layers). */
  constructor(private readonly expected: readonly Parameter[] | null = null) {}

  /** A trainable variable holding `initial` (which it takes over). */
  weight(name: string, initial: tf.Tensor): tf.Variable {
    return this.add(name, initial, true, this.trainable);
  }

  /** Non-trainable state (moving statistics, EMA codebooks). */
  stateVariable(name: string, initial: tf.Tensor): tf.Variable {
    return this.add(name, initial, false, this.state);
  }

  /** Throws unless every tensor of the table was built. */
  complete(): void {
    if (this.expected !== null && this.created !== this.expected.length) {
      throw new Error(
        `internal: the tfjs model built ${this.created} tensors, the IR's parameter table lists ${this.expected.length} (next: '${this.expected[this.created]!.name}')`,
      );
    }
  }

  dispose(): void {
    for (const v of [...this.trainable, ...this.state]) v.variable.dispose();
  }

  private add(name: string, initial: tf.Tensor, trainable: boolean, into: NamedVariable[]): tf.Variable {
    const built = `'${name}' [${initial.shape.join(", ")}]${trainable ? "" : " (not trainable)"}`;
    if (this.expected !== null) {
      const e = this.expected[this.created];
      if (e === undefined || e.name !== name || e.trainable !== trainable || !sameShape(e.shape, initial.shape)) {
        initial.dispose();
        const wanted = e === undefined ? "nothing more" : `'${e.name}' [${e.shape.join(", ")}]${e.trainable ? "" : " (not trainable)"}`;
        throw new Error(`internal: the tfjs model builds ${built} where the IR's parameter table lists ${wanted}`);
      }
    } else if ([...this.trainable, ...this.state].some((v) => v.name === name)) {
      initial.dispose();
      throw new Error(`internal: variable name '${name}' used twice`);
    }
    this.created++;
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    into.push({ name, variable });
    return variable;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
