import type { Span } from "../diagnostics/span.js";

/** A shape without the batch dimension, channels-last: [features] or [h, w, c]. */
export type Shape = readonly number[];

export type ActivationFn = "relu" | "leaky_relu" | "elu" | "gelu" | "tanh" | "sigmoid" | "softplus";
export const ACTIVATIONS: readonly ActivationFn[] = ["relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "softplus"];

export type Padding = "same" | "valid";

/** What every op in the IR carries: its shapes, its cost, and where it was written. */
export interface OpBase {
  readonly inShape: Shape;
  readonly outShape: Shape;
  /** Trainable parameters. */
  readonly parameters: number;
  /** Non-trainable state (batchnorm's moving mean and variance). */
  readonly state: number;
  /** Bytes of activations this op keeps per example (float32 outputs). */
  readonly activationBytes: number;
  readonly span: Span;
}

/** Fully connected on the last axis (a map [h, w, c] keeps h and w). */
export interface Dense extends OpBase {
  readonly kind: "dense";
  readonly units: number;
}
export interface Conv extends OpBase {
  readonly kind: "conv";
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: Padding;
}
/**
 * Transposed convolution. Output size per spatial axis:
 * same: in * stride; valid: in * stride + max(kernel - stride, 0).
 */
export interface Deconv extends OpBase {
  readonly kind: "deconv";
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: Padding;
}
export interface Flatten extends OpBase {
  readonly kind: "flatten";
}
export interface Reshape extends OpBase {
  readonly kind: "reshape";
  readonly target: Shape;
}
/** Active in training only. */
export interface Dropout extends OpBase {
  readonly kind: "dropout";
  readonly rate: number;
}
/** Normalises the last axis; scale and offset are trainable, moving statistics are state. */
export interface BatchNorm extends OpBase {
  readonly kind: "batchnorm";
  readonly epsilon: number;
  readonly momentum: number;
}
export interface LayerNorm extends OpBase {
  readonly kind: "layernorm";
  readonly epsilon: number;
}
export interface Activation extends OpBase {
  readonly kind: "activation";
  readonly fn: ActivationFn;
  /** Negative slope of leaky_relu (0.2); 0 for the others. */
  readonly alpha: number;
}

export type Layer = Dense | Conv | Deconv | Flatten | Reshape | Dropout | BatchNorm | LayerNorm | Activation;
export type LayerKind = Layer["kind"];
