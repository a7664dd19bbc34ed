/**
 * RUN/ir.json read back and checked before anything uses it: the file is a
 * regular file of bounded size, its JSON has the IR's structure where every
 * reader relies on it, its hash, recomputed, is the one it records, and the
 * IR verifier (src/ir/verify.ts) finds it sound. So an
 * edited IR (relu changed to tanh, the hash kept) is refused, never trained
 * on, evaluated, exported or encoded as a different model.
 *
 * Settings that later versions of aespec added are filled in, after the hash
 * is checked, with what the run was trained with: a run without `train.init`
 * was initialised by the `he` scheme, one without `train.schedule` at a
 * constant rate.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { modelHash } from "../ir/hash.js";
import type { IrModel } from "../ir/model.js";
import { CONSTANT_RATE } from "../ir/train.js";
import { verifyIr } from "../ir/verify.js";

export const RUN_IR_FILE = "ir.json";
/** An IR is a few kilobytes; anything near this is not one. */
const MAX_IR_BYTES = 16 * 1024 * 1024;

/** The run's IR, or a sentence (to follow "cannot ... 'RUN': ") saying why it cannot be used. */
export function readRunIr(runDir: string): IrModel | string {
  const path = join(runDir, RUN_IR_FILE);
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) return `its ${RUN_IR_FILE} is not a regular file`;
    if (st.size > MAX_IR_BYTES) return `its ${RUN_IR_FILE} is ${st.size} bytes, too large to be an IR`;
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `it is not a run directory: it has no ${RUN_IR_FILE}` : `its ${RUN_IR_FILE} cannot be read: ${(e as Error).message}`;
  }
  let ir: unknown;
  try {
    ir = JSON.parse(text);
  } catch (e) {
    return `its ${RUN_IR_FILE} is not valid JSON: ${(e as Error).message}`;
  }
  const bad = structureError(ir);
  if (bad !== null) return `its ${RUN_IR_FILE} is damaged: ${bad}`;
  const m = ir as IrModel;
  const { hash, ...rest } = m;
  if (modelHash(rest) !== hash) return `its ${RUN_IR_FILE} was edited: its content does not match its hash (train the changed spec into a new run)`;
  const filled = withLaterSettings(m);
  const problems = verifyIr(filled);
  if (problems.length > 0) return `its ${RUN_IR_FILE} is not a sound model: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`;
  return filled;
}

/** The IR with the settings of later versions that `ir` lacks, at the values it was trained with. */
function withLaterSettings(ir: IrModel): IrModel {
  const t = ir.train as Partial<IrModel["train"]> & IrModel["train"];
  if (t.init !== undefined && t.schedule !== undefined) return ir;
  return { ...ir, train: { ...t, init: t.init ?? "he", schedule: t.schedule ?? CONSTANT_RATE } };
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
const isDims = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every((d) => Number.isSafeInteger(d) && (d as number) > 0);

/** The first place where the JSON lacks what readers of an IR rely on, or null. */
function structureError(ir: unknown): string | null {
  if (!isObj(ir) || ir["kind"] !== "Model") return "it holds no model";
  if (typeof ir["name"] !== "string" || typeof ir["hash"] !== "string") return "its model has no name or hash";
  const input = ir["input"];
  if (!isObj(input) || !isDims(input["shape"])) return "its input has no shape";
  for (const part of ["encoder", "decoder", "losses"] as const) {
    const list = ir[part];
    if (!Array.isArray(list) || !list.every((op) => isObj(op) && typeof op["kind"] === "string")) return `its ${part} is not a list of ops`;
  }
  for (const op of [...(ir["encoder"] as Json[]), ...(ir["decoder"] as Json[])]) {
    if (!isDims(op["inShape"]) || !isDims(op["outShape"])) return `its ${String(op["kind"])} layer has no shapes`;
  }
  const b = ir["bottleneck"];
  if (!isObj(b) || typeof b["kind"] !== "string" || !isDims(b["latentShape"])) return "its bottleneck has no kind or latent shape";
  const t = ir["train"];
  if (!isObj(t) || !Number.isSafeInteger(t["seed"]) || !Number.isSafeInteger(t["batch"]) || !isObj(t["optimizer"]))
    return "its train settings lack the seed, batch or optimizer";
  if (!isObj(ir["totals"])) return "it has no totals";
  return null;
}
