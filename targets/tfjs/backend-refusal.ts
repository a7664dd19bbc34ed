/** AE3112: a backend forced with --backend that does not start here, with what would make it start. */
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { BackendName } from "./backend-names.js";

const FIX: { readonly [B in BackendName]: string } = {
  "tensorflow-gpu": "install @tensorflow/tfjs-node-gpu (its install downloads libtensorflow for CUDA 11.2) on a machine with a GPU",
  tensorflow: "install @tensorflow/tfjs-node (its install downloads libtensorflow)",
  "wasm+blas": "build the native path: `apt-get install libopenblas-dev` (Debian, Ubuntu), then `npm run build:native`",
  wasm: "reinstall @tensorflow/tfjs-backend-wasm",
  cpu: "reinstall @tensorflow/tfjs-backend-cpu",
};

export function backendUnavailable(name: BackendName, reason: string): Diagnostic {
  return diag(
    "AE3112",
    `backend '${name}' is not available: ${reason}`,
    { file: "--backend", start: 0, end: 0 },
    {
      hint: `${FIX[name]}; or leave out --backend to run on the fastest backend that loads`,
    },
  );
}
