/**
 * `aespec eval --target onnx`: a run measured by its exported graphs in
 * onnxruntime, without tfjs, gives the tfjs target's numbers (the same
 * evaluation code, the same importance draws, another engine); what the
 * exported graphs cannot serve is refused with a located AE3301.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalReport } from "../../../src/eval/eval-report.js";
import { evaluatePort } from "../../../src/eval/evaluate-run.js";
import { openOnnxPort } from "../../../targets/onnx/eval-port.js";
import { evaluateRun } from "../../../targets/tfjs/eval/evaluate-run.js";
import { compileModel, createTrainer } from "../../../targets/tfjs/index.js";
import { spec, tempDir, useCpu } from "../tfjs/train/helpers.js";

async function trained(text: string): Promise<string> {
  await useCpu();
  const c = compileModel(text);
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  const dir = join(tempDir("aespec-onnx-eval-"), "run");
  const r = await createTrainer(c.model, { outDir: dir, specText: text }).train();
  expect(r.status).toBe("completed");
  r.model?.dispose();
  return dir;
}

async function onnxReport(dir: string): Promise<EvalReport> {
  const opened = await openOnnxPort(dir);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    const r = await evaluatePort(opened.value.port, dir, { iwaeSamples: 20 });
    if (!r.ok) throw new Error(r.diagnostic.message);
    return r.value;
  } finally {
    opened.value.port.dispose();
  }
}

async function tfjsReport(dir: string): Promise<EvalReport> {
  const r = await evaluateRun(dir, { iwaeSamples: 20 });
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.value;
}

const close = (a: number | null | undefined, b: number | null | undefined, what: string) => {
  expect(a, what).toBeTypeOf("number");
  expect(Math.abs(a! - b!), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b!)));
};

describe("evaluation on the onnx target", () => {
  it("a Gaussian run: reconstruction, KL per unit, active units and the IWAE bound as tfjs measures them", async () => {
    const dir = await trained(spec({ bottleneck: "gaussian(2)", loss: "reconstruction(mse)\n    kl()" }));
    const [o, t] = [await onnxReport(dir), await tfjsReport(dir)];
    close(o.reconstruction.mse, t.reconstruction.mse, "mse");
    close(o.gaussian!.kl, t.gaussian!.kl, "kl");
    o.gaussian!.klPerUnit.forEach((v, i) => close(v, t.gaussian!.klPerUnit[i], `kl unit ${i}`));
    expect(o.gaussian!.activeUnits).toBe(t.gaussian!.activeUnits);
    close(o.gaussian!.iwae!.bound, t.gaussian!.iwae!.bound, "iwae bound");
    close(o.gaussian!.iwae!.elbo, t.gaussian!.iwae!.elbo, "elbo");
    close(o.interpolation!.ratio, t.interpolation!.ratio, "interpolation");
  });

  it("a VQ run: the same code assignments, usage and perplexity", async () => {
    const dir = await trained(spec({ bottleneck: "vq(codes: 6, dim: 2)", loss: "reconstruction(mse)\n    commitment()" }));
    const [o, t] = [await onnxReport(dir), await tfjsReport(dir)];
    expect(o.codebook!.usage).toEqual(t.codebook!.usage);
    close(o.codebook!.perplexity, t.codebook!.perplexity, "perplexity");
    close(o.reconstruction.mse, t.reconstruction.mse, "mse");
  });

  it("a linear run: the decoder's subspace against PCA, the same angles", async () => {
    const dir = await trained(spec());
    const [o, t] = [await onnxReport(dir), await tfjsReport(dir)];
    expect(o.subspace).not.toBeNull();
    o.subspace!.anglesDegrees.forEach((a, i) => expect(Math.abs(a - t.subspace!.anglesDegrees[i]!)).toBeLessThan(1e-3));
  });

  it("refuses a ladder and a corrupted model, located at the model", async () => {
    for (const [text, why] of [
      [
        spec({
          bottleneck: "ladder { gaussian(2) gaussian(1) }",
          loss: "reconstruction(mse)\n    kl()",
          train: "data: lowrank(dim: 6, rank: 2, count: 32)\n    epochs: 1",
        }),
        /a ladder's exported decoder/,
      ],
      [
        spec({ train: "data: lowrank(dim: 6, rank: 2, count: 32)\n    epochs: 1" }).replace("  bottleneck:", "  corrupt: gaussian(sigma: 0.1)\n  bottleneck:"),
        /gaussian_noise corruption/,
      ],
    ] as const) {
      const dir = await trained(text);
      const opened = await openOnnxPort(dir);
      expect(opened.ok).toBe(false);
      if (opened.ok) continue;
      expect(opened.diagnostic.code).toBe("AE3301");
      expect(opened.diagnostic.message).toMatch(why);
      expect(opened.diagnostic.span.start).toBe(0);
      expect(opened.diagnostic.span.file).not.toBe(dir);
    }
  });
});
