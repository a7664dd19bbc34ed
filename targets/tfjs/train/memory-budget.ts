/**
 * Whether a model can train on the backend in use, before anything is
 * allocated. The checker's budget (src/check/budget.ts) is the language's:
 * what no target could hold. This one is the tfjs target's: the wasm backend
 * keeps every tensor in one WebAssembly memory of at most 4 GiB, and the cpu
 * and tensorflow backends in the machine's memory. A model past it would end
 * in "memory access out of bounds" or a RangeError after minutes of loading.
 */
import { totalmem } from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import { costedOps } from "../../../src/ir/costed-ops.js";
import { fmtBytes } from "../../../src/diagnostics/format.js";
import { diag, type Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { IrModel } from "../../../src/ir/model.js";

/** WebAssembly's 32-bit memory. */
export const WASM_MEMORY_BYTES = 4 * 1024 ** 3;

/** Optimizer slots per weight (Adam's two moments; rmsprop's mean square and momentum; sgd's momentum). */
function slots(ir: IrModel): number {
  const o = ir.train.optimizer;
  return o.kind === "adam" ? 2 : o.kind === "rmsprop" ? (o.momentum > 0 ? 2 : 1) : o.momentum > 0 ? 1 : 0;
}

export interface TrainingMemory {
  /** Weights, their gradients and the optimizer's slots, as float32. */
  readonly weights: number;
  /** A batch's activations, kept for the backward pass, their gradients and a working copy. */
  readonly activations: number;
}

export function trainingMemory(ir: IrModel): TrainingMemory {
  const ops = costedOps(ir);
  const trainable = ops.reduce((n, o) => n + o.parameters, 0);
  const state = ops.reduce((n, o) => n + o.state, 0);
  const perExample = ops.reduce((n, o) => n + o.activationBytes, 0);
  return { weights: 4 * (trainable * (2 + slots(ir)) + state), activations: 3 * perExample * ir.train.batch };
}

/** The backend's memory limit and its name for messages, from the active tfjs backend. */
export function backendMemory(): { name: string; bytes: number } {
  const name = tf.getBackend();
  return name === "wasm"
    ? { name: "the wasm backend (WebAssembly memory)", bytes: WASM_MEMORY_BYTES }
    : { name: `the ${name} backend (this machine's memory)`, bytes: 0.8 * totalmem() };
}

/** AE3111 at the op that costs the most, when training would not fit; null when it would. */
export function memoryError(ir: IrModel, limit = backendMemory()): Diagnostic | null {
  const m = trainingMemory(ir);
  if (m.weights + m.activations <= limit.bytes) return null;
  const ops = costedOps(ir);
  const byWeights = m.weights >= m.activations;
  const culprit = ops.reduce((a, b) => ((byWeights ? b.parameters + b.state > a.parameters + a.state : b.activationBytes > a.activationBytes) ? b : a));
  return diag(
    "AE3111",
    `training needs about ${fmtBytes(m.weights + m.activations)} (weights, gradients and optimizer state ${fmtBytes(m.weights)}; activations of a batch of ${ir.train.batch} ${fmtBytes(m.activations)}), and ${limit.name} holds at most ${fmtBytes(limit.bytes)}`,
    culprit.span,
    {
      hint: byWeights
        ? "use fewer units or codes; tfjs-node (--backend tensorflow) has the machine's memory, not WebAssembly's 4 GiB"
        : "use a smaller batch or narrower layers; tfjs-node (--backend tensorflow) has the machine's memory",
    },
  );
}
