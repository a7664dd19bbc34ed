import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../../targets/tfjs/backend.js";
import { blas, skipReason } from "./native-available.js";

/**
 * On wasm+blas, Identity (tf.clone, and every tensor a gradient saves)
 * shares its input's buffer instead of copying it; the values must behave as
 * a copy's would: each survives the other's disposal, and the buffer is
 * freed with the last of them.
 */
interface RefCounts {
  refCount(dataId: tf.DataId): number;
}

describe.skipIf(blas === null)(`Identity on wasm+blas${skipReason === null ? "" : ` (${skipReason})`}`, () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("shares the buffer, and each tensor keeps its values after the other is disposed", async () => {
    const s = await selectBackend("wasm+blas");
    if (s.error !== null) throw new Error(s.error);
    const backend = tf.backend() as unknown as RefCounts;
    const before = tf.memory().numBytes;
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tf.clone(a);
    expect(b.dataId).toBe(a.dataId);
    expect(backend.refCount(a.dataId)).toBe(2);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    const c = tf.clone(b);
    b.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3, 4]);
    c.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it("copies on plain wasm, as stock", async () => {
    await selectBackend("wasm");
    const a = tf.tensor1d([1, 2]);
    const b = tf.clone(a);
    expect(b.dataId).not.toBe(a.dataId);
    tf.dispose([a, b]);
  });
});
