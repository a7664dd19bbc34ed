/**
 * Loads native/blas (OpenBLAS's sgemm behind N-API), optional: a missing or
 * broken addon is an ordinary answer with a reason, and training stays on
 * plain wasm. OpenBLAS reads its environment once, when the library is
 * loaded, so the variables are set here before the first dlopen.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BlasInfo {
  readonly threads: number;
  /** The kernel set OpenBLAS chose (e.g. SkylakeX, Haswell). */
  readonly corename: string;
  readonly config: string;
}

/** The addon's exports (native/blas/sgemm.c documents each). */
export interface BlasAddon {
  gemm(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    strideA: number,
    strideB: number,
  ): void;
  epilogue(c: Float32Array, rows: number, n: number, bias: Float32Array | null, activation: number, alpha: number, prelu: Float32Array | null): void;
  adam(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, scalars: Float32Array): void;
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** NHWC convolution; geometry [batch, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft] (conv.c). */
  conv2d(x: Float32Array, w: Float32Array, out: Float32Array, geometry: readonly number[]): void;
  /** out = x[begin : begin + size], row-major, rank 1 to 8 (slice.c). */
  slice(x: Float32Array, out: Float32Array, shape: readonly number[], begin: readonly number[], size: readonly number[]): void;
  /** out = -(x log p + (1 - x) log(1 - p)), p = clip(r, lo, hi), per element (bernoulli.c). */
  bernoulliNll(x: Float32Array, r: Float32Array, lo: number, hi: number, out: Float32Array): void;
  /** out = that expression's gradient in r times dy, 0 where r is clipped (bernoulli.c). */
  bernoulliNllGrad(x: Float32Array, r: Float32Array, dy: Float32Array, lo: number, hi: number, out: Float32Array): void;
  setThreads(n: number): void;
  info(): BlasInfo;
}

export type AddonLoad =
  { readonly ok: true; readonly addon: BlasAddon; readonly path: string; readonly coretype: CoretypeSource } | { readonly ok: false; readonly reason: string };

/** Who chose OpenBLAS's kernels: its own detection, this module (SkylakeX on AVX-512), or the user's OPENBLAS_CORETYPE. */
export type CoretypeSource = "detected" | "forced" | "user";

const ADDON = join("native", "blas", "build", "Release", "aespec_blas.node");
const BUILD_HINT = "build it with `npm run build:native` (needs a C compiler and libopenblas-dev)";

/**
 * OpenBLAS threads, unless OPENBLAS_NUM_THREADS says otherwise. On 2 idle
 * cores (AVX-512, SkylakeX kernels) two threads ran the training step's large
 * products (256 x 784 x 512) 1.8 times faster than one (0.45 ms against
 * 0.85); Node waits in the call, so the second core is otherwise idle then.
 * On a busy machine the two settings measured alike. `npm run bench` prints both.
 */
export const DEFAULT_BLAS_THREADS = 2;
/**
 * log2 of the cycles an idle OpenBLAS thread spins before sleeping (default
 * 28, about 0.1 s): a lower value hands the core back to other processes
 * between the step's GEMMs.
 */
const THREAD_TIMEOUT = "20";

let loaded: AddonLoad | null = null;

/** The addon, loaded once per process; later calls return the same answer. */
export function loadBlasAddon(): AddonLoad {
  loaded ??= load();
  return loaded;
}

function load(): AddonLoad {
  const path = findAddon(dirname(fileURLToPath(import.meta.url)));
  if (path === null) return { ok: false, reason: `the native GEMM addon is not built (${ADDON}); ${BUILD_HINT}` };
  const coretype = prepareEnvironment(process.env, cpuFlags());
  try {
    const addon = createRequire(import.meta.url)(path) as BlasAddon;
    if (process.env["OPENBLAS_NUM_THREADS"] === undefined) addon.setThreads(DEFAULT_BLAS_THREADS);
    return { ok: true, addon, path, coretype };
  } catch (e) {
    return { ok: false, reason: `the native GEMM addon failed to load (${(e as Error).message.split("\n")[0]}); ${BUILD_HINT}` };
  }
}

/** Walks up from this module (targets/tfjs/native in the sources, dist/targets/tfjs/native when built) to the package root. */
function findAddon(start: string): string | null {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, ADDON);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** The CPU's feature flags, empty where /proc/cpuinfo does not exist. */
function cpuFlags(): ReadonlySet<string> {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("flags"));
    return new Set(
      line === undefined
        ? []
        : line
            .slice(line.indexOf(":") + 1)
            .trim()
            .split(/\s+/),
    );
  } catch {
    return new Set();
  }
}

/** What SkylakeX's kernels execute; on a CPU without them OpenBLAS would die of an illegal instruction. */
const SKYLAKEX_FLAGS = ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"];

/**
 * OpenBLAS 0.3.21 does not recognise some AVX-512 CPUs (AMD EPYC among them)
 * and falls back to slower kernels: SkylakeX is forced only where every
 * instruction set it uses is present, and never over a value the user set.
 */
export function prepareEnvironment(env: NodeJS.ProcessEnv, flags: ReadonlySet<string>): CoretypeSource {
  env["OPENBLAS_THREAD_TIMEOUT"] ??= THREAD_TIMEOUT;
  if (env["OPENBLAS_CORETYPE"] !== undefined) return "user";
  if (!SKYLAKEX_FLAGS.every((f) => flags.has(f))) return "detected";
  env["OPENBLAS_CORETYPE"] = "SkylakeX";
  return "forced";
}
