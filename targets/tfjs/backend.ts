/**
 * Chooses the tfjs backend: tfjs-node-gpu (when it loads and sees a GPU),
 * else tfjs-node, else WebAssembly (SIMD) with its matrix products on
 * OpenBLAS (`wasm+blas`, when native/blas is built), else plain WebAssembly,
 * else the plain JavaScript `cpu`.
 * The two native packages are optional peers (their install downloads
 * libtensorflow, impossible offline), so they are loaded with a dynamic
 * import of a name held in a variable: TypeScript needs no types for them and
 * a missing package is an ordinary caught error.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadBlasAddon } from "./native/addon.js";
import { useBlasMatMul, useStockMatMul } from "./native/registry.js";
import { registerGradients } from "./ops/gradients/register.js";
import { setMatMulTransposes, type MatMulTransposes } from "./ops/matmul.js";

import { BACKEND_NAMES, type BackendName } from "./backend-names.js";

export { BACKEND_NAMES, type BackendName } from "./backend-names.js";

/** The name tfjs itself knows a backend by (`tf.getBackend()`): `wasm+blas` is the wasm backend with two kernels swapped. */
export const TFJS_BACKEND: Readonly<Record<BackendName, string>> = {
  "tensorflow-gpu": "tensorflow",
  tensorflow: "tensorflow",
  "wasm+blas": "wasm",
  wasm: "wasm",
  cpu: "cpu",
};

export interface BackendSelection {
  /** The backend in use; when `error` is set, the one that was asked for. */
  readonly name: BackendName;
  /** What is running, for the user: package, version, features (the faster candidates skipped are in `skipped`). */
  readonly detail: string;
  /** What is running in a few words: `OpenBLAS SkylakeX, 2 threads`. */
  readonly short: string;
  /** The faster backends tried first and why each did not start: `tensorflow: @tensorflow/tfjs-node is not installed`. */
  readonly skipped: readonly string[];
  /** Set only when a forced backend is unavailable; nothing was changed then. */
  readonly error: string | null;
}

type Attempt = { readonly ok: true; readonly detail: string; readonly short: string } | { readonly ok: false; readonly reason: string };

const NODE_GPU_PACKAGE = "@tensorflow/tfjs-node-gpu";
const NODE_PACKAGE = "@tensorflow/tfjs-node";

/**
 * Selects and activates a backend. Without `force`, the first that works of
 * the order above; with `force`, that one or a result whose `error` says why not.
 */
export async function selectBackend(force?: BackendName): Promise<BackendSelection> {
  const chosen = await choose(force);
  // After the native packages had their chance to register their own.
  if (chosen.error === null) {
    registerGradients();
    setMatMulTransposes(GRADIENT_TRANSPOSES[chosen.name]);
  }
  return chosen;
}

/**
 * How matMul's backward pass transposes on each backend: wasm's fast kernel
 * takes no transpose flags (explicit transposes made a training step 5 to 9
 * times faster there); OpenBLAS takes them at no cost, and a Transpose kernel
 * would only copy memory. The others keep what they were measured with.
 */
const GRADIENT_TRANSPOSES: Readonly<Record<BackendName, MatMulTransposes>> = {
  "tensorflow-gpu": "explicit",
  tensorflow: "explicit",
  "wasm+blas": "flags",
  wasm: "explicit",
  cpu: "explicit",
};

async function choose(force: BackendName | undefined): Promise<BackendSelection> {
  if (force !== undefined) {
    const a = await ATTEMPTS[force]();
    return a.ok
      ? { name: force, detail: a.detail, short: a.short, skipped: [], error: null }
      : { name: force, detail: a.reason, short: a.reason, skipped: [], error: `backend '${force}' is not available: ${a.reason}` };
  }
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    const a = await ATTEMPTS[name]();
    if (a.ok) return { name, detail: a.detail, short: a.short, skipped: reasons, error: null };
    reasons.push(`${name}: ${a.reason}`);
  }
  // Unreachable in practice: the cpu backend is pure JavaScript.
  throw new Error(`internal: no tfjs backend could be started (${reasons.join("; ")})`);
}

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = {
  "tensorflow-gpu": async () => {
    const loaded = await loadNative(NODE_GPU_PACKAGE);
    if (!loaded.ok) return loaded;
    if (!usingGpu()) return { ok: false, reason: `${NODE_GPU_PACKAGE} loaded but sees no GPU` };
    return { ok: true, detail: `${NODE_GPU_PACKAGE} (libtensorflow, GPU)`, short: "libtensorflow, GPU" };
  },
  tensorflow: async () => {
    const loaded = await loadNative(NODE_PACKAGE);
    if (!loaded.ok) return loaded;
    return { ok: true, detail: `${NODE_PACKAGE} (libtensorflow, CPU)`, short: "libtensorflow, CPU" };
  },
  "wasm+blas": async () => {
    const native = loadBlasAddon();
    if (!native.ok) return native;
    const wasm = await startWasm();
    if (!wasm.ok) return wasm;
    useBlasMatMul(native.addon);
    const { corename, threads } = native.addon.info();
    const kernels = native.coretype === "user" ? `${corename} kernels as OPENBLAS_CORETYPE says` : `${corename} kernels`;
    const plural = threads === 1 ? "" : "s";
    return {
      ok: true,
      detail: `${wasm.detail}; matMul on OpenBLAS (${kernels}, ${threads} thread${plural})`,
      short: `OpenBLAS ${corename}, ${threads} thread${plural}`,
    };
  },
  wasm: async () => {
    const wasm = await startWasm();
    // A wasm+blas selected earlier in this process has swapped the kernels: plain wasm means the stock ones.
    if (wasm.ok) useStockMatMul();
    return wasm;
  },
  cpu: async () => {
    if (!(await tf.setBackend("cpu"))) return { ok: false, reason: "the cpu backend failed to initialise" };
    // Its first kernel otherwise prints an advertisement for tfjs-node; the backend line already says what runs.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    return { ok: true, detail: `@tensorflow/tfjs-backend-cpu ${tf.version_core} (plain JavaScript, slow)`, short: "plain JavaScript, slow" };
  },
};

async function startWasm(): Promise<Attempt> {
  try {
    configureWasmPaths();
    if (!(await tf.setBackend("wasm"))) return { ok: false, reason: "the WebAssembly backend failed to initialise" };
    const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
    const features = `${simd ? "SIMD" : "no SIMD"}, one thread`;
    return { ok: true, detail: `@tensorflow/tfjs-backend-wasm ${tf.version_core} (${features})`, short: features };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** Imports a native package; it registers the `tensorflow` backend into the tfjs-core it finds. */
async function loadNative(pkg: string): Promise<Attempt> {
  try {
    await import(pkg);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ERR_MODULE_NOT_FOUND" ? `${pkg} is not installed` : `${pkg} failed to load: ${(e as Error).message}` };
  }
  // A native package bundling its own copy of tfjs-core registers there, not here.
  if (tf.findBackendFactory("tensorflow") === null) {
    return { ok: false, reason: `${pkg} loaded but registered no 'tensorflow' backend with this tfjs-core ${tf.version_core}` };
  }
  try {
    if (!(await tf.setBackend("tensorflow"))) return { ok: false, reason: `${pkg}: the tensorflow backend failed to initialise` };
  } catch (e) {
    return { ok: false, reason: `${pkg}: ${(e as Error).message}` };
  }
  return { ok: true, detail: pkg, short: pkg };
}

function usingGpu(): boolean {
  // tfjs-node's NodeJSKernelBackend sets this from its binding.
  const b = tf.backend() as unknown as { isUsingGpuDevice?: unknown };
  return b.isUsingGpuDevice === true;
}

let wasmPathsSet = false;

/** The .wasm binaries ship in the package's dist folder: no network needed. */
function configureWasmPaths(): void {
  if (wasmPathsSet) return;
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  setWasmPaths(dist + "/");
  wasmPathsSet = true;
}
