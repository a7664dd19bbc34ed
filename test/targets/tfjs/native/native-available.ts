/**
 * Whether the native GEMM addon is built here. The native tests are skipped,
 * with the reason printed, only when it is not; where AESPEC_REQUIRE_NATIVE=1
 * (.ci/run sets it once it has installed libopenblas-dev, before `npm ci`
 * builds the addon) a missing addon fails instead, so CI tests both paths.
 */
import { loadBlasAddon, type BlasAddon } from "../../../../targets/tfjs/native/addon.js";

const load = loadBlasAddon();

export const blas: BlasAddon | null = load.ok ? load.addon : null;

export const skipReason: string | null = load.ok ? null : load.reason;

if (skipReason !== null) {
  if (process.env["AESPEC_REQUIRE_NATIVE"] === "1") throw new Error(`AESPEC_REQUIRE_NATIVE=1 but ${skipReason}`);
  console.log(`native tests skipped: ${skipReason}`);
}

/** The numerical paths of the wasm target to run a test on: plain wasm, and wasm+blas where the addon is built. */
export const WASM_PATHS: readonly ("wasm" | "wasm+blas")[] = blas === null ? ["wasm"] : ["wasm", "wasm+blas"];
