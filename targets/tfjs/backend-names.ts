/** The backends the tfjs target can run on, fastest first (a module of its own: the target's options list them without loading tfjs). */
export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm+blas" | "wasm" | "cpu";
export const BACKEND_NAMES: readonly BackendName[] = ["tensorflow-gpu", "tensorflow", "wasm+blas", "wasm", "cpu"];
