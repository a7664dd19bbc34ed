import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition, inverse } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { loadData } from "../../../../src/data/load.js";
import { Rng } from "../../../../src/data/rng.js";
import type { IrModel } from "../../../../src/ir/model.js";
import { compileModel, selectBackend, train, type TfModel } from "../../../../targets/tfjs/index.js";
import { WASM_PATHS } from "../native/native-available.js";

/**
 * docs/language.md's first claim: an undercomplete linear autoencoder trained with
 * MSE on centred data spans the subspace of the top principal components.
 * Trained here on specs/linear.aespec as written (lowrank dim 64 rank 8, 50 epochs).
 */
const root = resolve(import.meta.dirname, "../../../..");
const spec = readFileSync(resolve(root, "specs/linear.aespec"), "utf8");

function variable(m: TfModel, name: string): Matrix {
  const v = m.trainable.find((t) => t.name === name);
  if (v === undefined) throw new Error(`no variable ${name}: ${m.trainable.map((t) => t.name).join(", ")}`);
  const [rows, cols] = v.variable.shape as [number, number];
  const data = v.variable.dataSync();
  return new Matrix(rows, cols).apply(function (this: Matrix, i: number, j: number) {
    this.set(i, j, data[i * cols + j]!);
  });
}

/** Orthonormal basis (columns) of the column space of a full-rank d x k matrix. */
function orthonormal(a: Matrix): Matrix {
  return new QrDecomposition(a).orthogonalMatrix.subMatrix(0, a.rows - 1, 0, a.columns - 1);
}

/** Principal angles in degrees between the column spaces of two orthonormal d x k bases. */
function principalAngles(q1: Matrix, q2: Matrix): number[] {
  const s = new SingularValueDecomposition(q1.transpose().mmul(q2), { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return s.diagonal.map((c) => (Math.acos(Math.min(1, c)) * 180) / Math.PI);
}

/** The cpu backend, and every wasm path (the native GEMM where it is built): the same claim on each. */
const BACKENDS = ["cpu", ...WASM_PATHS] as const;

describe.each(BACKENDS)("linear autoencoder against PCA, on %s", (backend) => {
  let ir: IrModel;
  let model: TfModel;
  let x: Matrix;

  beforeAll(async () => {
    const sel = await selectBackend(backend);
    if (sel.error !== null) throw new Error(sel.error);
    const c = compileModel(spec, { file: "specs/linear.aespec" });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
    ir = c.model;
    const r = await train(ir, {});
    expect(r.status).toBe("completed");
    model = r.model!;
    const data = await loadData(ir.train.data!, { seed: ir.train.seed });
    if (!data.ok) throw new Error(data.diagnostic.message);
    const d = data.value.train;
    x = new Matrix(d.count, 64).apply(function (this: Matrix, i: number, j: number) {
      this.set(i, j, d.x[i * 64 + j]!);
    });
  }, 240_000);

  it("the decoder's subspace is the top-8 PCA subspace: every principal angle below 2 degrees", () => {
    const w = variable(model, "decoder.0.kernel"); // [8, 64]: rows span the decoder's image
    const learned = orthonormal(w.transpose());
    const centred = x.clone().subRowVector(x.mean("column"));
    const cov = centred
      .transpose()
      .mmul(centred)
      .div(centred.rows - 1);
    const eig = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
    const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
    const top = new Matrix(64, 8).apply(function (this: Matrix, i: number, j: number) {
      this.set(i, j, eig.eigenvectorMatrix.get(i, order[j]![1]));
    });
    const angles = principalAngles(learned, top);
    expect(angles.length).toBe(8);
    for (const a of angles) expect(a).toBeLessThan(2);
    // and the test can tell: a random 8-dimensional subspace is far from it
    const rng = new Rng(3);
    const random = orthonormal(
      new Matrix(64, 8).apply(function (this: Matrix, i: number, j: number) {
        this.set(i, j, rng.normal());
      }),
    );
    expect(Math.max(...principalAngles(random, top))).toBeGreaterThan(45);
  });

  it("(decoder R, R^-1 encoder) for a random invertible R reconstructs the same", () => {
    const rng = new Rng(11);
    const r = new Matrix(8, 8).apply(function (this: Matrix, i: number, j: number) {
      this.set(i, j, rng.normal() + (i === j ? 3 : 0));
    });
    const batch = tf.tensor2d(x.subMatrix(0, 31, 0, 63).to2DArray());
    const run = () =>
      tf.tidy(() => {
        const f = model.forward(batch, { training: false, rng: new Rng(0) });
        return { z: f.latent.arraySync() as number[][], y: f.reconstruction.arraySync() as number[][] };
      });
    const before = run();
    const find = (name: string) => model.trainable.find((t) => t.name === name)!.variable;
    const assign = (name: string, m: Matrix) => find(name).assign(m.rows === 1 ? tf.tensor1d(m.to1DArray()) : tf.tensor2d(m.to2DArray()));
    // z' = x (E R) + b R = z R, and x' = z' (R^-1 W) + c = z W + c
    assign("bottleneck.kernel", variable(model, "bottleneck.kernel").mmul(r));
    assign("bottleneck.bias", Matrix.rowVector(Array.from(find("bottleneck.bias").dataSync())).mmul(r));
    assign("decoder.0.kernel", inverse(r).mmul(variable(model, "decoder.0.kernel")));
    const after = run();
    const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
    const scale = Math.max(...before.y.flat().map(Math.abs));
    expect(maxDiff(after.y, before.y)).toBeLessThan(1e-4 * Math.max(1, scale));
    // the codes themselves moved: the invariance is not vacuous
    expect(maxDiff(after.z, before.z)).toBeGreaterThan(0.1);
    batch.dispose();
  });
});

/** The largest principal angle, in degrees, between the decoder's subspace and the top-8 PCA subspace of the training data. */
async function largestAngle(ir: IrModel, model: TfModel): Promise<number> {
  const data = await loadData(ir.train.data!, { seed: ir.train.seed });
  if (!data.ok) throw new Error(data.diagnostic.message);
  const d = data.value.train;
  const x = new Matrix(d.count, 64).apply(function (this: Matrix, i: number, j: number) {
    this.set(i, j, d.x[i * 64 + j]!);
  });
  const centred = x.clone().subRowVector(x.mean("column"));
  const eig = new EigenvalueDecomposition(centred.transpose().mmul(centred), { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const top = new Matrix(64, 8).apply(function (this: Matrix, i: number, j: number) {
    this.set(i, j, eig.eigenvectorMatrix.get(i, order[j]![1]));
  });
  return Math.max(...principalAngles(orthonormal(variable(model, "decoder.0.kernel").transpose()), top));
}

describe("a decaying learning rate brings the linear autoencoder closer to the PCA subspace", () => {
  it("cosine(min: 0) ends at a smaller largest principal angle than the constant rate, on the same spec and seed", async () => {
    const sel = await selectBackend(WASM_PATHS[WASM_PATHS.length - 1]!);
    if (sel.error !== null) throw new Error(sel.error);
    const angles: number[] = [];
    for (const overrides of [[], ["train.schedule=cosine(min: 0)"]]) {
      const c = compileModel(spec, { file: "specs/linear.aespec", overrides });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
      const r = await train(c.model, {});
      expect(r.status).toBe("completed");
      angles.push(await largestAngle(c.model, r.model!));
      r.model!.dispose();
    }
    const [constant, decayed] = angles as [number, number];
    console.log(`largest principal angle: constant lr ${constant.toFixed(3)} deg, cosine-decayed ${decayed.toFixed(3)} deg`);
    expect(decayed).toBeLessThan(0.5 * constant);
  }, 240_000);
});
