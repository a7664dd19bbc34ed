/**
 * Golden cases of the ONNX export codes (AE32xx), rendered by
 * test/golden.test.ts like its own cases. Paths are relative to the
 * repository, the tests' working folder.
 */
import { compileFile } from "../../../src/compile.js";
import type { Code } from "../../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { SourceFile } from "../../../src/diagnostics/span.js";
import type { Result } from "../../../src/data/result.js";
import { exportModel } from "../../../targets/onnx/export-model.js";
import { exportRun, writeModelFile } from "../../../targets/onnx/export-run.js";
import { checkDataFits, indicesRefusal } from "../../../targets/onnx/encode.js";
import { writeNpyFile } from "../../../src/data/npy-write.js";
import { loadOnnxRuntime } from "../../../targets/onnx/runtime.js";

interface Produced {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

const fromResult = (r: Result<unknown>, sources: ReadonlyMap<string, SourceFile> = new Map()): Produced => ({
  diagnostics: r.ok ? [] : [r.diagnostic],
  sources,
});

export const ONNX_GOLDEN_CASES: Partial<Record<Code, () => Produced | Promise<Produced>>> = {
  AE3201: () => {
    const c = compileFile("test/golden/onnx/AE3201.aespec");
    if (!c.ok) throw new Error("golden fixture AE3201 does not compile");
    return fromResult(exportModel(c.models[0]!, new Map(), "encoder"), c.sources);
  },
  AE3202: () => fromResult(exportRun("test/golden/onnx/no-such-run", "encoder")),
  AE3203: () => fromResult(writeModelFile("test/golden/onnx/no-such-folder/model.onnx", new Uint8Array(0))),
  AE3204: () => {
    const c = compileFile("test/golden/onnx/AE3204.aespec");
    if (!c.ok) throw new Error("golden fixture AE3204 does not compile");
    return fromResult(checkDataFits(c.models[0]!, "test/golden/onnx/AE3204.csv"), c.sources);
  },
  AE3205: () => fromResult(writeNpyFile("test/golden/onnx/no-such-folder/codes.npy", new Float32Array(1), [1])),
  AE3207: () => {
    const c = compileFile("test/golden/onnx/AE3207.aespec");
    if (!c.ok) throw new Error("golden fixture AE3207 does not compile");
    return fromResult(indicesRefusal(c.models[0]!), c.sources);
  },
  // the dynamic import of a package that is not installed, as where onnxruntime-node is left out
  AE3206: async () => fromResult(await loadOnnxRuntime("aespec encode", () => import("onnxruntime-node-never-installed" as string) as never)),
};
