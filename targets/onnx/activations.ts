/**
 * The activations of docs/language.md as ONNX ops, matching the tfjs target's.
 */
import type { ActivationFn } from "../../src/ir/layers.js";
import { float, type GraphBuilder } from "./graph.js";

type ActivationHandler = (g: GraphBuilder, x: string, prefix: string, alpha: number) => string;

export const ACTIVATION_HANDLERS: Readonly<Record<ActivationFn, ActivationHandler>> = {
  relu: (g, x, p) => g.node("Relu", [x], `${p}.out`),
  leaky_relu: (g, x, p, alpha) => g.node("LeakyRelu", [x], `${p}.out`, { alpha: float(alpha) }),
  elu: (g, x, p) => g.node("Elu", [x], `${p}.out`, { alpha: float(1) }),
  // The exact form, as the tfjs target computes it: (x * 0.5) * (erf(x / sqrt 2) + 1).
  gelu: (g, x, p) => {
    const half = g.node("Mul", [x, g.scalar(`${p}.half`, 0.5)], `${p}.half_x`);
    const erf = g.node("Erf", [g.node("Mul", [x, g.scalar(`${p}.rsqrt2`, Math.SQRT1_2)], `${p}.scaled`)], `${p}.erf`);
    return g.node("Mul", [half, g.node("Add", [erf, g.scalar(`${p}.one`, 1)], `${p}.erf_1`)], `${p}.out`);
  },
  tanh: (g, x, p) => g.node("Tanh", [x], `${p}.out`),
  sigmoid: (g, x, p) => g.node("Sigmoid", [x], `${p}.out`),
  softplus: (g, x, p) => g.node("Softplus", [x], `${p}.out`),
};
