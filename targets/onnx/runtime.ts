/**
 * onnxruntime-node, loaded when a command needs it. It is an optional peer
 * dependency: its install script downloads CUDA libraries from outside the
 * npm registry (and it is 288 MB), so a plain `npm install aespec` leaves it
 * out, and `aespec encode` asks for it with the command that installs it
 * offline (the CPU runtime is inside the npm package; the download is skipped).
 */
import { diag } from "../../src/diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../../src/data/result.js";

export type OnnxRuntime = typeof import("onnxruntime-node");

export const ONNXRUNTIME_PACKAGE = "onnxruntime-node";
/** The version the tests run against (package.json's peer dependency). */
export const ONNXRUNTIME_VERSION = "1.30.0";
export const ONNXRUNTIME_INSTALL = `ONNXRUNTIME_NODE_INSTALL=skip npm install ${ONNXRUNTIME_PACKAGE}@${ONNXRUNTIME_VERSION}`;

/** `load` is the dynamic import (replaced in tests to stand for a missing package). */
export async function loadOnnxRuntime(what: string, load: () => Promise<OnnxRuntime> = () => import("onnxruntime-node")): Promise<Result<OnnxRuntime>> {
  try {
    return ok(await load());
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
    const why = missing ? `the optional package '${ONNXRUNTIME_PACKAGE}' is not installed` : `'${ONNXRUNTIME_PACKAGE}' does not load: ${(e as Error).message}`;
    return fail(
      diag(
        "AE3206",
        `${what} runs the model in onnxruntime, and ${why}`,
        { file: ONNXRUNTIME_PACKAGE, start: 0, end: 0 },
        {
          hint: `install it next to aespec (the variable skips its download of CUDA libraries): \`${ONNXRUNTIME_INSTALL}\``,
        },
      ),
    );
  }
}

/** onnxruntime's int64 code indices (a BigInt64Array) as int32: a codebook holds far fewer than 2^31 codes. */
export function int32Indices(data: BigInt64Array): Int32Array {
  return Int32Array.from(data, (v) => Number(v));
}
