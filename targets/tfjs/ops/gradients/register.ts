/**
 * Registers the gradients this target's models and losses need, for the
 * kernels that have none. tfjs-core's CommonJS build, which Node loads,
 * ships no gradients (the `@tensorflow/tfjs` umbrella package registers
 * them, and the project depends on tfjs-core alone). Idempotent; kernels
 * that already have a gradient (e.g. registered by tfjs-node's bundle) keep it.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ELEMENTWISE_GRADIENTS, type GradEntry } from "./elementwise.js";
import { STRUCTURAL_GRADIENTS } from "./structural.js";

export type GradientKernel = keyof typeof ELEMENTWISE_GRADIENTS | keyof typeof STRUCTURAL_GRADIENTS;

export const GRADIENTS: Readonly<Record<GradientKernel, GradEntry>> = { ...ELEMENTWISE_GRADIENTS, ...STRUCTURAL_GRADIENTS };

export function registerGradients(): void {
  for (const [kernelName, entry] of Object.entries(GRADIENTS)) {
    if (tf.getGradient(kernelName) == null) tf.registerGradient({ kernelName, ...entry });
  }
}
