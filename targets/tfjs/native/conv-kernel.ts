/**
 * The wasm backend's Conv2D computed as im2col and OpenBLAS's sgemm
 * (native/blas/conv.c), in place on the wasm heap. Every convolution of a
 * conv or deconv layer runs through this kernel on wasm+blas: the forward
 * pass, the input gradient and the transposed convolution (stride-1
 * convolutions with explicit padding, ops/conv-transpose.ts) and the filter
 * gradient (a stride-1 convolution dilated by the layer's stride,
 * ops/conv-filter-grad.ts, where wasm spent most of a conv step). The
 * geometry is tfjs's own (computeConv2DInfo), so SAME, VALID and explicit
 * padding, strides and dilations place the windows exactly as the stock
 * kernel does. Anything else (channels-first, other dtypes, negative
 * padding) goes to the stock kernel.
 *
 * Correctness depends on it too: the native Adam (adam.ts) updates weights
 * in place, and the stock kernel (XNNPACK) caches its packed filter by tensor
 * id, so with the stock kernel a conv layer would keep the weights of its
 * first step (measured before this kernel existed: the VQ-VAE's losses on
 * wasm+blas ended 95% off wasm's within 50 steps). This kernel keeps nothing
 * between calls; test/targets/tfjs/native/training.test.ts would catch a
 * conv layer falling back.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { BlasAddon } from "./addon.js";

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

type Conv2DAttrs = NamedAttrMap & {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil" | null;
};

/** The 15 integers conv.c takes, or null for what the stock kernel should do. */
export function convGeometry(xShape: readonly number[], filterShape: readonly number[], attrs: Conv2DAttrs): { geometry: number[]; outShape: number[] } | null {
  if (xShape.length !== 4 || filterShape.length !== 4 || attrs.dataFormat === "NCHW") return null;
  let info: tf.backend_util.Conv2DInfo;
  try {
    info = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode ?? undefined,
      false,
      "channelsLast",
    );
  } catch {
    return null; // the stock kernel throws tfjs's own message
  }
  const { top, left } = info.padInfo;
  if (info.inChannels !== filterShape[2] || top < 0 || left < 0 || info.outHeight < 0 || info.outWidth < 0) return null;
  const geometry = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
  ];
  return { geometry, outShape: info.outShape };
}

export function blasConv2D(blas: BlasAddon, stock: Pick<KernelConfig, "kernelFunc">): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const plan = x.dtype === "float32" && filter.dtype === "float32" ? convGeometry(x.shape, filter.shape, args.attrs as Conv2DAttrs) : null;
    if (plan === null) return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(plan.outShape, "float32");
    // Views taken after the output exists: allocating can grow the heap and detach older ones.
    blas.conv2d(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(filter), backend.typedArrayFromHeap(out), plan.geometry);
    return out;
  };
}
