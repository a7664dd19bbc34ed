/**
 * Swaps the wasm backend's matrix-product kernels (and Sum, whose reductions
 * over the batch axis are products with ones, Conv2D, im2col and a
 * product, Slice, for the convolutions' crops, and Identity, which shares
 * its input's buffer instead of copying it) between the stock ones and the
 * OpenBLAS ones, through tfjs's public kernel registry. tfjs looks a
 * kernel up at every call, so a swap takes effect at the next op; the
 * backend's name stays `wasm` (tf.getBackend()) either way. The stock
 * set-up function is kept on the replacement: if the backend is
 * (re)initialised while the replacement is registered, the stock kernel,
 * which serves as the fallback, is still set up.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc } from "@tensorflow/tfjs-core";
import type { BlasAddon } from "./addon.js";
import { BERNOULLI_NLL, BERNOULLI_NLL_GRAD, bernoulliKernels } from "./bernoulli-kernel.js";
import { blasConv2D } from "./conv-kernel.js";
import { sharedIdentity } from "./identity-kernel.js";
import { blasBatchMatMul, blasFusedMatMul, blasSum } from "./kernels.js";
import { blasSlice } from "./slice-kernel.js";

const BACKEND = "wasm";
type Replaced = "BatchMatMul" | "_FusedMatMul" | "Sum" | "Conv2D" | "Slice" | "Identity";
const REPLACEMENTS: Readonly<Record<Replaced, (blas: BlasAddon, stock: KernelConfig) => KernelFunc>> = {
  BatchMatMul: blasBatchMatMul,
  _FusedMatMul: blasFusedMatMul,
  Sum: blasSum,
  Conv2D: blasConv2D,
  Slice: blasSlice,
  Identity: sharedIdentity,
};
const NAMES = Object.keys(REPLACEMENTS) as Replaced[];
const OWN_KERNELS = [BERNOULLI_NLL, BERNOULLI_NLL_GRAD];

/**
 * The stock kernels that keep a packed copy of an operand keyed by its tensor
 * id (XNNPACK's fully connected and convolution operators): once one of them
 * has run, a weight updated in place (the native Adam) could be read from a
 * stale copy, so the native Adam stands down for the rest of the process.
 */
const PACKING: ReadonlySet<Replaced> = new Set<Replaced>(["BatchMatMul", "_FusedMatMul", "Conv2D"]);
let packingStockRan = false;

/** Whether a stock kernel that caches packed operands by tensor id ran as a fallback (see PACKING). */
export function packingStockKernelRan(): boolean {
  return packingStockRan;
}

/** The stock kernel as a fallback, noting when it is one that packs its operands. */
function fallback(name: Replaced, s: KernelConfig): KernelConfig {
  if (!PACKING.has(name)) return s;
  return {
    ...s,
    kernelFunc: (args) => {
      packingStockRan = true;
      return s.kernelFunc(args);
    },
  };
}

/** The stock configs, captured the first time anything is swapped (before any replacement exists). */
let stock: Record<Replaced, KernelConfig> | null = null;
let inUse = false;

function stockKernels(): Record<Replaced, KernelConfig> {
  if (stock === null) {
    const found = Object.fromEntries(NAMES.map((name) => [name, tf.getKernel(name, BACKEND)])) as Record<Replaced, KernelConfig | undefined>;
    const missing = NAMES.filter((name) => found[name] == null);
    // The wasm package registers its kernels when imported; backend.ts imports it.
    if (missing.length > 0) throw new Error(`internal: the wasm backend has no ${missing.join(", ")} kernel to replace`);
    stock = found as Record<Replaced, KernelConfig>;
  }
  return stock;
}

function register(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, BACKEND);
  tf.registerKernel(config);
}

/** Registers the OpenBLAS kernels for `wasm`; idempotent. */
export function useBlasMatMul(blas: BlasAddon): void {
  if (inUse) return;
  const kernels = stockKernels();
  for (const name of NAMES) {
    const s = kernels[name];
    const config: KernelConfig = { kernelName: name, backendName: BACKEND, kernelFunc: REPLACEMENTS[name](blas, fallback(name, s)) };
    if (s.setupFunc !== undefined) config.setupFunc = s.setupFunc;
    if (s.disposeFunc !== undefined) config.disposeFunc = s.disposeFunc;
    register(config);
  }
  // Kernels of aespec's own (no stock version): registered while the path is in use.
  for (const config of bernoulliKernels(blas, BACKEND)) {
    if (tf.getKernel(config.kernelName, BACKEND) !== undefined) tf.unregisterKernel(config.kernelName, BACKEND);
    tf.registerKernel(config);
  }
  inUse = true;
}

/** Puts the stock kernels back; idempotent, and a no-op when nothing was ever swapped. */
export function useStockMatMul(): void {
  if (!inUse || stock === null) return;
  for (const name of NAMES) register(stock[name]);
  for (const name of OWN_KERNELS) if (tf.getKernel(name, BACKEND) !== undefined) tf.unregisterKernel(name, BACKEND);
  inUse = false;
}

/** Whether the wasm backend's matrix products currently run on OpenBLAS. */
export function blasMatMulInUse(): boolean {
  return inUse;
}
