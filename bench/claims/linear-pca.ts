/**
 * Claim 1: a linear autoencoder trained with MSE spans the top-k PCA subspace,
 * and only the subspace is determined: (W_dec R, R^-1 W_enc) for any invertible R
 * reconstructs the same while the codes change.
 */
import { join } from "node:path";
import { Matrix, QrDecomposition } from "ml-matrix";
import { loadData } from "../../src/data/load.js";
import { Rng } from "../../src/data/rng.js";
import type { EvalReport } from "../../src/eval/eval-report.js";
import { readRunResult } from "../../src/run/checkpoint.js";
import { RunDir } from "../../src/run/run-dir.js";
import { aespec, commandLine, ROOT, SPEC, table, type Claim } from "./claim.js";

const K = 16;
const EXAMPLES = 1000;

/** The run's weights by name, as matrices (rows x columns as saved). */
function weights(run: string): Map<string, Matrix> {
  const dir = RunDir.open(join(ROOT, run));
  if (!dir.ok) throw new Error(dir.diagnostic.message);
  const c = readRunResult(dir.value);
  if (typeof c === "string") throw new Error(c);
  return new Map(
    c.weights.map((w) => {
      const [rows, cols] = w.shape.length === 1 ? [1, w.shape[0]!] : [w.shape[0]!, w.shape[1]!];
      return [w.name, new Matrix(Array.from({ length: rows }, (_, i) => Array.from(w.values.subarray(i * cols, (i + 1) * cols))))];
    }),
  );
}

export const linearPca: Claim = {
  name: "linear-pca",
  title: "a linear autoencoder finds the PCA subspace",
  statement:
    "With MSE, an undercomplete linear autoencoder's decoder spans the subspace of the top-k principal components of its training data; the code itself is fixed only up to an invertible map R: the decoder W_dec R with the encoder R^-1 W_enc reconstructs the same.",
  run: async () => {
    const out = "claims-runs/linear";
    const sweep = ["sweep", SPEC, "--model", "linear_mnist", "--seeds", "1", "--out", out];
    await aespec(sweep);
    const run = `${out}/seed=1`;
    const evalArgs = ["eval", run, "--json", "--iwae-k", "1"];
    const r = JSON.parse(await aespec(evalArgs)) as EvalReport;
    const s = r.subspace!;
    // The same model under a random rotation R (orthogonal, so R^-1 = R^T) of its 16-number code.
    const w = weights(run);
    const [encW, encB, decW, decB] = ["bottleneck.kernel", "bottleneck.bias", "decoder.0.kernel", "decoder.0.bias"].map((n) => w.get(n)!);
    const rng = new Rng(5, "claims/rotation");
    const rotation = new QrDecomposition(new Matrix(Array.from({ length: K }, () => Array.from({ length: K }, () => rng.normal())))).orthogonalMatrix;
    const test = await loadData({ kind: "mnist", span: { file: SPEC, start: 0, end: 0 } }, { seed: 1 });
    if (!test.ok || test.value.test === null) throw new Error("no MNIST test set");
    const x = new Matrix(Array.from({ length: EXAMPLES }, (_, i) => Array.from(test.value.test!.x.subarray(i * 784, (i + 1) * 784))));
    const codes = x.mmul(encW!).addRowVector(encB!.getRow(0));
    const rotated = codes.mmul(rotation);
    const recon = codes.mmul(decW!).addRowVector(decB!.getRow(0));
    const again = rotated.mmul(rotation.transpose().mmul(decW!)).addRowVector(decB!.getRow(0));
    const mse = (a: Matrix) => Matrix.sub(a, x).pow(2).sum() / EXAMPLES;
    const maxDiff = Matrix.sub(recon, again).abs().max();
    const codeChange = Matrix.sub(codes, rotated).norm() / codes.norm();
    const shown = s.maxDegrees < 5 && maxDiff < 1e-4 && codeChange > 0.5;
    const ev = s.evaluated;
    const rows = [
      [
        `training set's top-${K} PCA (${s.trainExamples} examples)`,
        s.maxDegrees,
        s.anglesDegrees
          .slice(0, 3)
          .map((a) => a.toFixed(2))
          .join(", ") + ", ...",
      ],
      ...(ev === null
        ? []
        : [
            [
              `test set's own top-${K} PCA (${ev.examples} examples)`,
              ev.maxDegrees,
              ev.anglesDegrees
                .slice(0, 3)
                .map((a) => a.toFixed(2))
                .join(", ") + ", ...",
            ],
          ]),
    ];
    const invariance = table(
      ["model", "reconstruction MSE (first 1,000 test images)", "codes"],
      [
        ["as trained: W_dec, W_enc", mse(recon), "z"],
        ["W_dec R, R^-1 W_enc (R a random rotation)", mse(again), `z R: ‖zR − z‖ / ‖z‖ = ${codeChange.toFixed(3)}`],
      ],
    );
    return {
      commands: [commandLine(sweep), commandLine(evalArgs)],
      body: `Principal angles (degrees) between the decoder's span and:\n\n${table(["subspace", "largest", "smallest three"], rows)}\n\n${invariance}\n\nLargest difference between the two reconstructions: ${maxDiff.toExponential(2)} (float64 arithmetic on the saved float32 weights). Linear 784-16-784, MSE, Adam 1e-3, batch 100, 10 epochs.`,
      verdict: shown ? "shown" : "not shown",
      why: `The largest angle to the training set's PCA subspace is ${s.maxDegrees.toFixed(2)} degrees${ev === null ? "" : ` (to the test set's own PCA ${ev.maxDegrees.toFixed(2)}: another subspace)`}; the rotated model reconstructs within ${maxDiff.toExponential(1)} while its codes move by ${(100 * codeChange).toFixed(0)}%.`,
    };
  },
};
