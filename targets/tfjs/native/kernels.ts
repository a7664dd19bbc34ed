/**
 * The wasm backend's BatchMatMul and _FusedMatMul computed by OpenBLAS, in
 * place on the wasm heap. Whatever these do not handle (other dtypes,
 * broadcasting that is not a plain repeat, a bias or PReLU weights that are
 * not per column, an activation the backend does not know) goes to the
 * stock kernel, which then behaves (or throws) exactly as before.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { BlasAddon } from "./addon.js";

/** The two methods of tfjs-backend-wasm's BackendWasm used here (both public there). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** The wasm backend's FusableActivation codes, which native/blas's epilogue uses too. */
const ACTIVATION_CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, prelu: 3, leakyrelu: 4, sigmoid: 5, elu: 6 };

/** One product as the addon takes it: out = op(a) op(b) over `batch` matrices. */
export interface GemmPlan {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Elements between consecutive matrices of a (b); 0 repeats one matrix. */
  readonly strideA: number;
  readonly strideB: number;
  readonly outShape: number[];
}

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/**
 * The plan for a product of these shapes, or null when the broadcasting of
 * the batch dimensions is more than repeating one side (those go to the stock kernel).
 */
export function planGemm(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): GemmPlan | null {
  const ar = aShape.length;
  const br = bShape.length;
  if (ar < 2 || br < 2) return null;
  const m = transposeA ? aShape[ar - 1]! : aShape[ar - 2]!;
  const kA = transposeA ? aShape[ar - 2]! : aShape[ar - 1]!;
  const kB = transposeB ? bShape[br - 1]! : bShape[br - 2]!;
  const n = transposeB ? bShape[br - 2]! : bShape[br - 1]!;
  if (kA !== kB) return null; // the stock kernel throws tfjs's own message
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  } catch {
    return null;
  }
  const batch = size(outer);
  const batchA = size(aShape.slice(0, -2));
  const batchB = size(bShape.slice(0, -2));
  // Broadcasting only ever grows a size: a side as large as the output is laid out like it.
  const stride = (sideBatch: number, matrix: number) => (sideBatch === batch ? matrix : sideBatch === 1 ? 0 : null);
  const strideA = stride(batchA, m * kA);
  const strideB = stride(batchB, kA * n);
  if (strideA === null || strideB === null) return null;
  return { batch, m, n, k: kA, strideA, strideB, outShape: [...outer, m, n] };
}

/** A per-column vector for the epilogue: null (absent), or its values' count (1 or n) is fine; anything else is not. */
function perColumn(t: TensorInfo | undefined | null, n: number): "absent" | "ok" | "unsupported" {
  if (t == null) return "absent";
  if (t.dtype !== "float32") return "unsupported";
  const count = size(t.shape);
  if (count === 1) return "ok";
  // [n], [1, n], [1, 1, n]...: every axis but the last is 1.
  return count === n && t.shape[t.shape.length - 1] === n ? "ok" : "unsupported";
}

type Stock = Pick<KernelConfig, "kernelFunc">;

/** Runs the product; the views are taken after the output is allocated (allocating can grow the heap and detach older views). */
function multiply(
  blas: BlasAddon,
  backend: WasmHeapBackend,
  a: TensorInfo,
  b: TensorInfo,
  plan: GemmPlan,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const out = backend.makeOutput(plan.outShape, "float32");
  blas.gemm(
    backend.typedArrayFromHeap(a),
    backend.typedArrayFromHeap(b),
    backend.typedArrayFromHeap(out),
    plan.batch,
    plan.m,
    plan.n,
    plan.k,
    transposeA,
    transposeB,
    plan.strideA,
    plan.strideB,
  );
  return out;
}

export function blasBatchMatMul(blas: BlasAddon, stock: Stock): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean };
    const plan = a.dtype === "float32" && b.dtype === "float32" ? planGemm(a.shape, b.shape, attrs.transposeA, attrs.transposeB) : null;
    if (plan === null) return stock.kernelFunc(args);
    return multiply(blas, args.backend as unknown as WasmHeapBackend, a, b, plan, attrs.transposeA, attrs.transposeB);
  };
}

export function blasFusedMatMul(blas: BlasAddon, stock: Stock): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = args.attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
    const activation = ACTIVATION_CODES[attrs.activation ?? "linear"];
    const plan = a.dtype === "float32" && b.dtype === "float32" ? planGemm(a.shape, b.shape, attrs.transposeA, attrs.transposeB) : null;
    if (plan === null || activation === undefined) return stock.kernelFunc(args);
    const biasUse = perColumn(bias, plan.n);
    const preluUse = activation === ACTIVATION_CODES["prelu"] ? perColumn(preluActivationWeights, plan.n) : "absent";
    if (biasUse === "unsupported" || preluUse === "unsupported" || (activation === ACTIVATION_CODES["prelu"] && preluUse === "absent"))
      return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = multiply(blas, backend, a, b, plan, attrs.transposeA, attrs.transposeB);
    if (biasUse === "absent" && activation === ACTIVATION_CODES["linear"]) return out;
    const view = (t: TensorInfo | undefined, use: string) => (use === "ok" ? backend.typedArrayFromHeap(t!) : null);
    blas.epilogue(
      backend.typedArrayFromHeap(out),
      plan.batch * plan.m,
      plan.n,
      view(bias, biasUse),
      activation,
      attrs.leakyreluAlpha ?? 0,
      view(preluActivationWeights, preluUse),
    );
    return out;
  };
}

/**
 * Sum over leading axes (dense layers' bias gradients: the batch axis) as one
 * matrix-vector product with ones: wasm's Sum transposes such an input first,
 * then reduces. Other reductions (inner axes, all axes, other dtypes) stay stock.
 */
export function blasSum(blas: BlasAddon, stock: Stock): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as NamedAttrMap & { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== "float32") return stock.kernelFunc(args);
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
    const lead = axes.length;
    if (lead === 0 || lead >= x.shape.length || axes.some((a, i) => a !== i)) return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(attrs.keepDims ? x.shape.map((d, i) => (i < lead ? 1 : d)) : x.shape.slice(lead), "float32");
    blas.sumRows(backend.typedArrayFromHeap(x), size(x.shape.slice(0, lead)), size(x.shape.slice(lead)), backend.typedArrayFromHeap(out));
    return out;
  };
}
