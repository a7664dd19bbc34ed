/**
 * Tensors a training forward keeps for the afterStep that follows it
 * (batch statistics, VQ assignments). They are clones (sharing data, not
 * copying it) kept out of tf.tidy, so the caller may dispose everything the
 * forward returned; a new training forward replaces what an unused one left.
 */
import * as tf from "@tensorflow/tfjs-core";

export class Pending<T extends Record<string, tf.Tensor>> {
  private held: T | null = null;

  hold(tensors: T): void {
    this.release();
    const kept = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tf.keep(tf.clone(t))])) as T;
    this.held = kept;
  }

  /** What was held, now owned by the caller (who disposes it); null if nothing. */
  take(): T | null {
    const h = this.held;
    this.held = null;
    return h;
  }

  release(): void {
    if (this.held !== null) tf.dispose(Object.values(this.held));
    this.held = null;
  }
}
