/**
 * The PyTorch target as the command line sees it (src/target/target.ts): it
 * emits a standalone Python package (`aespec compile --emit pytorch`) and trains
 * by running that package with the Python it finds. Light on purpose: nothing
 * here starts Python or reads data until a command runs.
 */
import type { IrModel } from "../../src/ir/model.js";
import type { Target } from "../../src/target/target.js";

export const PYTORCH_TARGET: Target = {
  name: "pytorch",
  description: "a standalone PyTorch package (Python 3, torch >= 1.13, numpy), trained by the Python found here: CUDA where torch sees a GPU, else the CPU",
  options: [
    {
      flag: "--device <device>",
      description: "where PyTorch trains (default auto: cuda when torch sees a GPU)",
      choices: ["auto", "cpu", "cuda"],
      commands: ["train"],
    },
    {
      flag: "--nproc <n>",
      description: "processes of data-parallel training on this machine (torchrun, one per GPU on cuda; default 1)",
      invalid: (v) => (/^[1-9]\d{0,3}$/.test(v) ? null : "must be a whole number of processes, 1 or more"),
      commands: ["train"],
    },
  ],
  async unsupported(ir: IrModel) {
    const { unsupportedByPytorch } = await import("./support.js");
    return unsupportedByPytorch(ir);
  },
  emit: {
    what: "a standalone PyTorch package (a folder: model.py, the trainer, the data as NPY)",
    async write(ir, request) {
      const { writePackage } = await import("./package.js");
      const r = await writePackage(ir, { dir: request.output, specText: request.specText, inputs: request.inputs });
      return r.ok ? { ok: true, value: { files: r.value.files.length, detail: `${r.value.trainExamples} training examples` } } : r;
    },
  },
  async train(ir, request) {
    const { trainWithPython } = await import("./train.js");
    return trainWithPython(ir, request);
  },
};
