/**
 * Two kernels of aespec's own for the wasm backend, registered with the
 * OpenBLAS ones (registry.ts): the Bernoulli reconstruction term per feature
 * and its gradient in the reconstruction, each one native pass
 * (native/blas/bernoulli.c) where tfjs's ops take about ten kernels forward
 * and fifteen backward. ops/bernoulli-nll.ts calls them.
 */
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { BlasAddon } from "./addon.js";

export const BERNOULLI_NLL = "AespecBernoulliNll";
export const BERNOULLI_NLL_GRAD = "AespecBernoulliNllGrad";

/** The clip bounds, passed as kernel attributes. */
export interface ClipBounds extends NamedAttrMap {
  lo: number;
  hi: number;
}

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function forward(blas: BlasAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, r } = inputs as { x: TensorInfo; r: TensorInfo };
    const { lo, hi } = attrs as ClipBounds;
    const heap = backend as unknown as WasmHeapBackend;
    const out = heap.makeOutput([...r.shape], "float32");
    // Views taken after the output's allocation: a growing heap kills older ones.
    blas.bernoulliNll(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(r), lo, hi, heap.typedArrayFromHeap(out));
    return out;
  };
}

function gradient(blas: BlasAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, r, dy } = inputs as { x: TensorInfo; r: TensorInfo; dy: TensorInfo };
    const { lo, hi } = attrs as ClipBounds;
    const heap = backend as unknown as WasmHeapBackend;
    const out = heap.makeOutput([...r.shape], "float32");
    blas.bernoulliNllGrad(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(r), heap.typedArrayFromHeap(dy), lo, hi, heap.typedArrayFromHeap(out));
    return out;
  };
}

/** The two kernel configs for `backendName`. */
export function bernoulliKernels(blas: BlasAddon, backendName: string): KernelConfig[] {
  return [
    { kernelName: BERNOULLI_NLL, backendName, kernelFunc: forward(blas) },
    { kernelName: BERNOULLI_NLL_GRAD, backendName, kernelFunc: gradient(blas) },
  ];
}
