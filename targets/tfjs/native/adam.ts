/**
 * Adam with one native update per variable on wasm+blas, in place on the wasm
 * heap, instead of about fifteen tfjs kernels per variable (the larger part
 * of a dense step's time that is not matrix products). The arithmetic is
 * tfjs-core's AdamOptimizer's, operation for operation in float32
 * (native/blas/adam.c), and the state is the same variables, so checkpoints,
 * getWeights and setWeights are unchanged.
 *
 * Writing in place is safe only when nothing else shares a buffer, and when
 * no stock XNNPACK kernel has packed a copy of a weight keyed by its tensor id
 * (it would keep reading the old values: registry.ts tracks those fallbacks): a step
 * whose variables, moments or gradients share one with another tensor (a
 * reshape kept alive, say) runs the stock update instead, as does any step
 * on another backend.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataId, TensorInfo } from "@tensorflow/tfjs-core";
import { loadBlasAddon, type BlasAddon } from "./addon.js";
import { blasMatMulInUse, packingStockKernelRan } from "./registry.js";

/** The parts of tfjs's AdamOptimizer and BackendWasm this relies on (private in their typings). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

interface WasmBuffers {
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  refCount(dataId: DataId): number;
}

type NamedGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

export class NativeAdamOptimizer extends tf.AdamOptimizer {
  readonly #blas: BlasAddon;
  /** Steps that ran natively, and that fell back: for tests and the curious. */
  nativeSteps = 0;
  stockSteps = 0;

  constructor(blas: BlasAddon, learningRate: number, beta1: number, beta2: number, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.#blas = blas;
  }

  override applyGradients(variableGradients: NamedGradients): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const s = this as unknown as AdamState;
    const backend = tf.backend() as unknown as Partial<WasmBuffers>;
    const slotsReady = list.every((_, i) => s.accumulatedFirstMoment[i] != null && s.accumulatedSecondMoment[i] != null);
    // The first step creates the moments; tfjs does that, then the native path takes over.
    // In place is unsafe once a stock kernel may hold a packed copy of a weight (registry.ts).
    if (
      tf.getBackend() !== "wasm" ||
      !blasMatMulInUse() ||
      packingStockKernelRan() ||
      backend.typedArrayFromHeap === undefined ||
      backend.refCount === undefined ||
      !slotsReady
    ) {
      this.stockSteps++;
      super.applyGradients(variableGradients);
      return;
    }
    const heap = backend as WasmBuffers;
    const updates = list.flatMap(({ name, tensor }, i) => {
      if (tensor == null) return []; // tfjs leaves a variable without gradient (and its moments) untouched
      const w = tf.engine().registeredVariables[name]!;
      return [{ w, m: s.accumulatedFirstMoment[i]!.variable, v: s.accumulatedSecondMoment[i]!.variable, g: tensor }];
    });
    const exclusive = (t: tf.Tensor) => t.dtype === "float32" && heap.refCount(t.dataId) === 1;
    if (!updates.every((u) => exclusive(u.w) && exclusive(u.m) && exclusive(u.v) && u.g.dtype === "float32" && u.g.size === u.w.size)) {
      this.stockSteps++;
      super.applyGradients(variableGradients);
      return;
    }
    const f = Math.fround;
    const acc1 = heap.typedArrayFromHeap(s.accBeta1)[0]!;
    const acc2 = heap.typedArrayFromHeap(s.accBeta2)[0]!;
    // tfjs's scalars: each a float32 tensor, 1 - acc computed in float32 (exact difference, then rounded, as here).
    const scalars = new Float32Array([s.beta1, f(1 - s.beta1), s.beta2, f(1 - s.beta2), f(1 - acc1), f(1 - acc2), s.epsilon, -s.learningRate]);
    for (const u of updates) {
      // No allocation between taking the views and the call: the heap cannot move under them.
      this.#blas.adam(heap.typedArrayFromHeap(u.w), heap.typedArrayFromHeap(u.m), heap.typedArrayFromHeap(u.v), heap.typedArrayFromHeap(u.g), scalars);
    }
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
    this.nativeSteps++;
  }
}

let nativeAdamAllowed = true;

/** Lets the benchmark measure wasm+blas with tfjs's own Adam; on by default. */
export function allowNativeAdam(on: boolean): void {
  nativeAdamAllowed = on;
}

/** Adam for the backend in use: the native update on wasm+blas, tfjs's own elsewhere. */
export function adamForBackend(learningRate: number, beta1: number, beta2: number, epsilon?: number): tf.Optimizer {
  const native = nativeAdamAllowed && blasMatMulInUse() ? loadBlasAddon() : null;
  return native !== null && native.ok
    ? new NativeAdamOptimizer(native.addon, learningRate, beta1, beta2, epsilon)
    : tf.train.adam(learningRate, beta1, beta2, epsilon);
}
