/**
 * The tfjs model's variables in and out of the checkpoint format
 * (src/run/checkpoint.ts): which variables a checkpoint holds, in which
 * order, read into plain arrays and assigned back by name.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { SavedTensor } from "../../../src/run/checkpoint.js";
import type { NamedVariable, TfModel } from "../model-api.js";

/** Every variable a checkpoint holds: the model's trainable, then its state, then its adversary's (discriminator) trainable and state. */
export function checkpointVariables(model: TfModel): NamedVariable[] {
  const a = model.adversary ?? null;
  return [...model.trainable, ...model.state, ...(a === null ? [] : [...a.trainable, ...a.state])];
}

/** Reads the checkpoint's variables (checkpointVariables) into plain arrays. */
export async function saveVariables(model: TfModel): Promise<SavedTensor[]> {
  const out: SavedTensor[] = [];
  for (const v of checkpointVariables(model)) out.push(await savedTensor(v));
  return out;
}

async function savedTensor(v: NamedVariable): Promise<SavedTensor> {
  const dtype = v.variable.dtype;
  if (dtype !== "float32" && dtype !== "int32") throw new Error(`internal: variable ${v.name} has dtype ${dtype}`);
  const data = await v.variable.data();
  const values = dtype === "float32" ? Float32Array.from(data as Float32Array) : Int32Array.from(data as Int32Array);
  return { name: v.name, shape: [...v.variable.shape], dtype, values };
}

/**
 * Assigns saved values to the model's variables by name. Returns a message
 * when the saved set does not match the model (names, shapes or dtypes).
 */
export function restoreVariables(model: TfModel, saved: readonly SavedTensor[]): string | null {
  const byName = new Map(saved.map((s) => [s.name, s]));
  const vars = checkpointVariables(model);
  for (const v of vars) {
    const s = byName.get(v.name);
    if (s === undefined) return `it holds no variable '${v.name}'`;
    if (s.dtype !== v.variable.dtype || !sameShape(s.shape, v.variable.shape)) {
      return `variable '${v.name}' is ${s.dtype} [${s.shape.join(", ")}], the model's is ${v.variable.dtype} [${v.variable.shape.join(", ")}]`;
    }
  }
  if (byName.size !== vars.length) return `it holds ${byName.size} variables, the model has ${vars.length}`;
  for (const v of vars) {
    const s = byName.get(v.name)!;
    tf.tidy(() => v.variable.assign(tf.tensor(s.values, [...s.shape], s.dtype)));
  }
  return null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
