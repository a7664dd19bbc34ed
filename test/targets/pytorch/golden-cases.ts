/**
 * Golden cases of the PyTorch target's codes: AE3113 from the real search for a Python (one that is not
 * there), AE3114 from the message a trainer that exited gets (test/targets/pytorch/train.test.ts makes
 * one exit for real). test/golden.test.ts renders them like its own cases.
 */
import { compileFile } from "../../../src/compile.js";
import type { Code } from "../../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import type { SourceFile } from "../../../src/diagnostics/span.js";
import { findPythonTorch } from "../../../targets/pytorch/python.js";
import { trainerExited } from "../../../targets/pytorch/train.js";

interface Produced {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

function withPython<T>(python: string, f: () => T): T {
  const before = process.env["AESPEC_PYTHON"];
  process.env["AESPEC_PYTHON"] = python;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env["AESPEC_PYTHON"];
    else process.env["AESPEC_PYTHON"] = before;
  }
}

export const PYTORCH_GOLDEN_CASES: Partial<Record<Code, () => Produced>> = {
  AE3113: () => {
    const r = withPython("test/golden/no-such-python", findPythonTorch);
    if (!("code" in r)) throw new Error("internal: test/golden/no-such-python was found");
    return { diagnostics: [r], sources: new Map() };
  },
  AE3114: () => {
    const c = compileFile("test/golden/train/AE3114.aespec");
    if (!c.ok) throw new Error("golden fixture AE3114 does not compile");
    const tail = [
      '  File "aespec_torch/trainer.py", line 212, in train_epoch',
      "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.34 GiB (GPU 0; 7.79 GiB total capacity)",
    ];
    return { diagnostics: [trainerExited(c.models[0]!, 1, 0, tail, "runs/vae/pytorch")], sources: c.sources };
  },
};
