/**
 * Representation figure (issue 6's closing note): `aespec eval`'s metrics of
 * the trained specs/ models, computed by the evaluation code itself
 * (evaluateRun on a run folder in a temporary directory):
 * (a) the metrics table of vae (MNIST), beta_vae (sprites, beta 4) and vqvae (MNIST);
 * (b) MIG on sprites of beta_vae at beta 1 and beta 4 (`--set loss.kl.beta=...`);
 * (c) the anomaly AUROC on the MNIST test set of a vae trained on MNIST
 *     without one digit: the training images of the other digits are
 *     written to a temporary NPY file that the spec names as its data
 *     (a spec cannot hold a class out itself), and the test set is scored
 *     with `--anomaly-class` / `--anomaly-data mnist`.
 * Fewer epochs than the specs' own (30, 30, 20), so that the figure takes
 * minutes; the KL warm-up of vae (10 epochs) is shortened to one epoch so
 * that the last epochs train at the full KL weight.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { subset } from "../../src/data/dataset.js";
import { loadData } from "../../src/data/load.js";
import { writeNpyFile } from "../../src/data/npy-write.js";
import type { IrModel } from "../../src/ir/model.js";
import { evalRows } from "../../src/eval/eval-rows.js";
import { compileModel, train } from "../../targets/tfjs/index.js";
import { evaluateRun, type EvalOptions, type EvalReport } from "../../targets/tfjs/eval/index.js";
import { backend, root, specModel } from "./common.js";
import type { Figure } from "./run.js";

const EPOCHS = { vae: 3, beta_vae: 3, vqvae: 1, heldOut: 3 } as const;
const VAE_WARMUP = 1;
/** Importance samples of the IWAE bound (eval's default is 50: K decoder passes per test image). */
const IWAE_K = 10;
const HELD_OUT_DIGIT = 9;

/** Trains `ir` into a run folder under `tmp` (eval reads run folders) and returns the folder. */
async function trainRun(ir: IrModel, tmp: string, name: string, specText?: string): Promise<string> {
  await backend();
  const dir = join(tmp, name);
  const t0 = performance.now();
  const r = await train(ir, {
    outDir: dir,
    ...(specText !== undefined ? { specText } : {}),
    onEpoch: (m) => {
      const codes = m.codebook === undefined ? "" : `, codes used ${m.codebook.codesUsed}/${m.codebook.codes} (perplexity ${m.codebook.perplexity.toFixed(1)})`;
      console.log(`    ${name} epoch ${m.epoch}/${ir.train.epochs}: mean training loss ${m.train.total.toFixed(3)}${codes} (${m.seconds.toFixed(1)} s)`);
    },
  });
  r.model?.dispose();
  if (r.status !== "completed" && r.status !== "early_stopped")
    throw new Error(`training ${name} ended ${r.status}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  console.log(`    ${name}: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

async function evaluate(dir: string, opts: EvalOptions): Promise<EvalReport> {
  const t0 = performance.now();
  const r = await evaluateRun(dir, opts);
  if (!r.ok) throw new Error(`eval of ${dir}: ${r.diagnostic.code} ${r.diagnostic.message}`);
  console.log(`    evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r.value;
}

/** The rows of `aespec eval`'s table, side by side for several models. */
function printSideBySide(reports: readonly [string, EvalReport][]): void {
  const columns = reports.map(([label, r]) => [label, new Map(evalRows(r))] as const);
  const metrics: string[] = [];
  for (const [, rows] of columns) for (const m of rows.keys()) if (!metrics.includes(m) && !m.startsWith("  gap ")) metrics.push(m);
  const width = Math.max(...metrics.map((m) => m.length), 6);
  const cellWidth = Math.max(...columns.flatMap(([label, rows]) => [label.length, ...[...rows.values()].map((v) => v.length)]));
  console.log(`    ${"metric".padEnd(width)}  ${columns.map(([label]) => label.padEnd(cellWidth)).join("  ")}`);
  for (const m of metrics) console.log(`    ${m.padEnd(width)}  ${columns.map(([, rows]) => (rows.get(m) ?? "-").padEnd(cellWidth)).join("  ")}`);
}

/** (c): MNIST training images without `digit`, as an NPY file; the vae spec naming it. */
async function heldOutSpec(tmp: string, digit: number): Promise<{ ir: IrModel; text: string; kept: number; dropped: number }> {
  const mnist = await loadData({ kind: "mnist", span: { file: "mnist", start: 0, end: 0 } }, { seed: 7 });
  if (!mnist.ok) throw new Error(mnist.diagnostic.message);
  const all = mnist.value.train;
  const keep = Array.from({ length: all.count }, (_, i) => i).filter((i) => all.labels![i] !== digit);
  const kept = subset(all, keep);
  const file = join(tmp, `mnist-without-${digit}.npy`);
  const w = writeNpyFile(file, kept.x, [kept.count, ...kept.shape]);
  if (!w.ok) throw new Error(w.diagnostic.message);
  const specFile = resolve(root, "specs/vae.aespec");
  const original = readFileSync(specFile, "utf8");
  // The first `data: mnist` is model vae's own.
  const text = original.replace("data: mnist", `data: ${JSON.stringify(file)}`);
  if (text === original) throw new Error("specs/vae.aespec: model vae no longer trains on `data: mnist`");
  const c = compileModel(text, {
    file: join(tmp, "vae-held-out.aespec"),
    model: "vae",
    overrides: [`train.epochs=${EPOCHS.heldOut}`, `loss.kl.warmup=${VAE_WARMUP}`],
  });
  if (!c.ok) throw new Error(`held-out spec: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return { ir: c.model, text, kept: kept.count, dropped: all.count - kept.count };
}

export async function figure(): Promise<Figure> {
  return {
    title: `eval metrics of vae, beta_vae, vqvae; MIG at beta 1 and 4; anomaly AUROC of MNIST digit ${HELD_OUT_DIGIT} held out of training`,
    run: async () => {
      const tmp = mkdtempSync(join(tmpdir(), "aespec-figure-representation-"));
      try {
        const vaeIr = specModel("vae.aespec", "vae", [`train.epochs=${EPOCHS.vae}`, `loss.kl.warmup=${VAE_WARMUP}`]);
        const beta4Ir = specModel("vae.aespec", "beta_vae", [`train.epochs=${EPOCHS.beta_vae}`]);
        const beta1Ir = specModel("vae.aespec", "beta_vae", [`train.epochs=${EPOCHS.beta_vae}`, "loss.kl.beta=1"]);
        const vqIr = specModel("vqvae.aespec", "vqvae", [`train.epochs=${EPOCHS.vqvae}`]);
        console.log(
          `    epochs: vae ${EPOCHS.vae} (spec 30; KL warm-up ${VAE_WARMUP}, spec 10), beta_vae ${EPOCHS.beta_vae} (spec 30), vqvae ${EPOCHS.vqvae} (spec 20), held-out vae ${EPOCHS.heldOut}; IWAE K = ${IWAE_K}`,
        );
        const opts: EvalOptions = { iwaeSamples: IWAE_K };
        const vae = await evaluate(await trainRun(vaeIr, tmp, "vae"), opts);
        const beta4 = await evaluate(await trainRun(beta4Ir, tmp, "beta_vae"), opts);
        const vq = await evaluate(await trainRun(vqIr, tmp, "vqvae"), opts);
        const beta1 = await evaluate(await trainRun(beta1Ir, tmp, "beta_vae-beta1"), opts);

        const held = await heldOutSpec(tmp, HELD_OUT_DIGIT);
        console.log(
          `    held-out vae: ${held.kept} MNIST training images without digit ${HELD_OUT_DIGIT} (${held.dropped} left out), written to an NPY file the spec names`,
        );
        // The run's own data (the file) has no labels: score the MNIST test set. K = 1: the other metrics run over the whole file.
        const anomaly = await evaluate(await trainRun(held.ir, tmp, "vae-without-" + HELD_OUT_DIGIT, held.text), {
          iwaeSamples: 1,
          anomaly: { anomalyClass: HELD_OUT_DIGIT, data: "mnist" },
        });

        console.log(
          `\n    (a) eval metrics on the test sets (MNIST for vae and vqvae, sprites for beta_vae), ${vae.examples} / ${beta4.examples} / ${vq.examples} examples`,
        );
        printSideBySide([
          ["vae", vae],
          ["beta_vae (beta 4)", beta4],
          ["vqvae", vq],
        ]);
        console.log(`\n    (b) MIG on sprites (beta_vae, ${EPOCHS.beta_vae} epochs, ${beta1.examples} test sprites): gap per factor over its entropy`);
        const factorNames = beta4.mig!.factors.map((f) => f.name);
        console.log(`    ${["beta", "MIG", ...factorNames].map((c) => c.padEnd(9)).join(" ")}`);
        for (const [beta, r] of [
          [1, beta1],
          [4, beta4],
        ] as const) {
          const gaps = r.mig!.factors.map((f) => (f.gap === null ? "const" : f.gap.toFixed(3)));
          console.log(`    ${[String(beta), r.mig!.score.toFixed(3), ...gaps].map((c) => c.padEnd(9)).join(" ")}`);
        }
        const a = anomaly.anomaly!;
        console.log(
          `\n    (c) anomaly: vae trained ${EPOCHS.heldOut} epochs on MNIST without digit ${a.anomalyClass}; MNIST test set: ${a.anomalies} anomalies (digit ${a.anomalyClass}), ${a.normals} normal`,
        );
        for (const s of a.scores)
          console.log(
            `    ${(s.score === "reconstruction" ? "reconstruction error" : "negative ELBO").padEnd(22)} (${s.definition})`.padEnd(62) +
              `AUROC ${s.auroc.toFixed(4)}`,
          );
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
