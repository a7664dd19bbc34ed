/**
 * Corruptions of the encoder's input, applied in training only, with noise
 * from the run's Rng.
 *
 * - gaussian_noise: x + sigma * N(0, 1), no clipping.
 * - dropout_noise (masking noise of denoising autoencoders): each entry set
 *   to 0 with probability `rate`, the rest unscaled (the decoder must
 *   reconstruct the clean input, so there is nothing to compensate).
 * - saltpepper: each entry, with probability `rate`, replaced by the low or
 *   the high end of the input's range (equally likely); the range is the
 *   declared one (`in [low, high]`), else the batch's minimum and maximum.
 * - mask (masked autoencoder): in each example exactly `hidden` of the
 *   `patches` patch x patch squares, chosen at random, set to 0 on every
 *   channel; `hidden` marks them (1 where hidden) for `on: masked` losses.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../../src/data/rng.js";
import type { Corruption, CorruptionKind } from "../../../src/ir/losses.js";
import { bernoulliTensor, normalTensor } from "./random.js";

export interface Corrupted {
  readonly encoderInput: tf.Tensor;
  /** mask only: 1 where hidden, 0 elsewhere, shaped like the input. */
  readonly hidden: tf.Tensor | null;
}

export type InputRange = readonly [number, number] | null;
type CorruptionApply<C extends Corruption> = (x: tf.Tensor, c: C, range: InputRange, rng: Rng) => Corrupted;

export const CORRUPTIONS: { readonly [K in CorruptionKind]: CorruptionApply<Extract<Corruption, { kind: K }>> } = {
  gaussian_noise: (x, c, _range, rng) => ({ encoderInput: tf.add(x, tf.mul(normalTensor(x.shape, rng), c.sigma)), hidden: null }),
  dropout_noise: (x, c, _range, rng) => ({ encoderInput: tf.mul(x, bernoulliTensor(x.shape, c.rate, 1, 0, rng)), hidden: null }),
  saltpepper: (x, c, range, rng) => {
    const n = x.size;
    const keep = new Float32Array(n);
    const salt = new Float32Array(n);
    const pepper = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (u >= c.rate) keep[i] = 1;
      else if (u < c.rate / 2) pepper[i] = 1;
      else salt[i] = 1;
    }
    const low = range !== null ? range[0] : tf.min(x);
    const high = range !== null ? range[1] : tf.max(x);
    const kept = tf.mul(x, tf.tensor(keep, x.shape));
    const noise = tf.add(tf.mul(tf.tensor(salt, x.shape), high), tf.mul(tf.tensor(pepper, x.shape), low));
    return { encoderInput: tf.add(kept, noise), hidden: null };
  },
  mask: (x, c, _range, rng) => {
    const [batch, h, w, channels] = x.shape as [number, number, number, number];
    const across = w / c.patch;
    const mask = new Float32Array(batch * h * w);
    const order = Array.from({ length: c.patches }, (_, i) => i);
    for (let b = 0; b < batch; b++) {
      // The first `hidden` places of a partial Fisher-Yates shuffle.
      for (let i = 0; i < c.hidden; i++) {
        const j = i + rng.int(c.patches - i);
        [order[i], order[j]] = [order[j]!, order[i]!];
        const p = order[i]!;
        const top = Math.floor(p / across) * c.patch;
        const left = (p % across) * c.patch;
        for (let r = top; r < top + c.patch; r++) mask.fill(1, (b * h + r) * w + left, (b * h + r) * w + left + c.patch);
      }
    }
    const hidden = tf.tile(tf.tensor4d(mask, [batch, h, w, 1]), [1, 1, 1, channels]);
    return { encoderInput: tf.mul(x, tf.sub(1, hidden)), hidden };
  },
};
