/**
 * The wasm backend's Slice for float32 crops that are not one contiguous
 * block, by memcpy of contiguous runs (native/blas/slice.c): the crops of
 * the convolution ops (the transposed convolution's [b, h + p, w + p, c] cut
 * to [b, h, w, c]), which wasm's Slice copies one innermost row at a time
 * from JavaScript (7 ms for a 256 x 28 x 28 x 32 crop). Contiguous slices
 * (one copy already), other dtypes and ranks above 8 stay stock.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { BlasAddon } from "./addon.js";

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const MAX_RANK = 8;

export function blasSlice(blas: BlasAddon, stock: Pick<KernelConfig, "kernelFunc">): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as NamedAttrMap & { begin: number | number[]; size: number | number[] };
    if (x.dtype !== "float32" || x.shape.length === 0 || x.shape.length > MAX_RANK) return stock.kernelFunc(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size) as [number[], number[]];
    if (tf.slice_util.isSliceContinous(x.shape, begin, size)) return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(size, "float32");
    blas.slice(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), x.shape, begin, size);
    return out;
  };
}
