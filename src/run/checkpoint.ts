/**
 * The checkpoint format, as plain typed arrays (one writer, one reader, for
 * every target): everything a resumed run needs to continue exactly.
 *
 * checkpoint/checkpoint.json  format, the model's name and hashes, the epoch
 *                             and step, RNG and data-order states, early
 *                             stopping, and a manifest of the tensors
 * checkpoint/weights.bin      the model's variables (trainable, then state,
 *                             then an adversarial term's discriminator:
 *                             "adversarial.discriminator.*"), raw
 *                             little-endian float32 (or int32), back to back
 * checkpoint/optimizer.bin    the optimizer's slots, the same way
 * checkpoint/adversary-optimizer.bin
 *                             with an adversarial term: the slots of the
 *                             discriminator's own optimizer
 * best/                       with early_stop: the same files for the best
 *                             epoch so far (the run's result)
 */
import { endianness } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { isRngState, type RngState } from "../data/rng.js";
import type { OptimizerKind } from "../ir/train.js";
import { fileChecks, verifiedBinary } from "./checkpoint-files.js";
import { RUN_FILES, type RunDir, type SwapStep } from "./run-dir.js";

export const CHECKPOINT_FORMAT = "aespec-checkpoint";
/** 2: checkpoint.json lists each binary file's size and SHA-256, checked on every read. Version 1 (no checksums) is still read. */
export const CHECKPOINT_VERSION = 2;

export type Dtype = "float32" | "int32";

export interface SavedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly values: Float32Array | Int32Array;
}

/** One optimizer slot of one trainable variable. */
export interface SavedSlot {
  /** The trainable variable (its checkpoint name) this slot belongs to. */
  readonly variable: string;
  /** Which slot: tf.train's name suffix (m, v, rms, momentum, ...). */
  readonly slot: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** An optimizer's state as plain arrays. */
export interface OptimizerState {
  readonly kind: OptimizerKind;
  readonly iterations: number;
  readonly slots: readonly SavedSlot[];
  /** Scalars outside the slots: Adam's accBeta1 and accBeta2. */
  readonly extras: Readonly<Record<string, number>>;
}

export interface EarlyStopState {
  /** Best monitored value so far, null before the first epoch. */
  readonly best: number | null;
  readonly bestEpoch: number;
  readonly badEpochs: number;
}

/** What the loop carries from one epoch to the next, besides tensors. */
export interface LoopState {
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer steps completed. */
  readonly step: number;
  readonly rng: { readonly train: RngState; readonly shuffle: RngState };
  readonly earlyStop: EarlyStopState;
  /** Collapse warnings in force (a warning is repeated only after the condition has cleared). */
  readonly collapsed: { readonly posterior: boolean; readonly codebook: boolean; readonly spread?: boolean };
}

export interface Checkpoint {
  readonly model: string;
  /** The IR's hash as trained (informative). */
  readonly irHash: string;
  /** Hash of the IR without settings that only say how long to train: what resume compares. */
  readonly resumeKey: string;
  readonly state: LoopState;
  readonly weights: readonly SavedTensor[];
  readonly optimizer: OptimizerState;
  /** The discriminator's optimizer, with an adversarial term. */
  readonly adversary?: OptimizerState | null;
}

interface Entry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  /** In bytes, into the .bin file. */
  readonly offset: number;
}

/** Writes `c` as the folder `folder` of the run (the last state, or with early stopping the best epoch's). */
export function writeCheckpoint(run: RunDir, c: Checkpoint, folder: string = RUN_FILES.checkpoint, fault?: (step: SwapStep) => void): void {
  if (endianness() !== "LE") throw new Error("internal: checkpoints are written on little-endian machines only");
  const weights = pack(c.weights);
  const slots = packSlots(c.optimizer);
  const adversary = c.adversary == null ? null : packSlots(c.adversary);
  const manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: c.model,
    irHash: c.irHash,
    resumeKey: c.resumeKey,
    state: c.state,
    weights: { file: "weights.bin", tensors: weights.entries },
    optimizer: optimizerManifest(c.optimizer, "optimizer.bin", slots.entries),
    ...(c.adversary == null || adversary === null ? {} : { adversaryOptimizer: optimizerManifest(c.adversary, ADVERSARY_FILE, adversary.entries) }),
  };
  const binaries: Record<string, Uint8Array> = {
    "weights.bin": weights.bytes,
    "optimizer.bin": slots.bytes,
    ...(adversary === null ? {} : { [ADVERSARY_FILE]: adversary.bytes }),
  };
  const files = fileChecks(binaries);
  // checkpoint.json last: a folder is complete when its manifest is there and every file matches it.
  run.replaceFolder(folder, { ...binaries, "checkpoint.json": JSON.stringify({ ...manifest, files }, null, 1) + "\n" }, fault);
}

/**
 * Puts a complete checkpoint back in place after an interrupted swap, before
 * a run writes again: when `which` is missing, the newest complete copy among
 * `which.old` and the temporary folders (`which.tmp-PID`, each verified
 * against its manifest's checksums) becomes `which`. Call with the lock held.
 */
export function recoverCheckpoint(run: RunDir, which: string = RUN_FILES.checkpoint): void {
  if (run.exists(which)) return;
  let best: { name: string; epoch: number } | null = null;
  for (const name of run.entries(`${which}.`)) {
    if (name !== `${which}.old` && !/\.tmp-\d+$/.test(name)) continue;
    const c = readCheckpointAt(run.path(name));
    if (typeof c !== "string" && (best === null || c.state.epoch > best.epoch)) best = { name, epoch: c.state.epoch };
  }
  if (best !== null) run.adopt(best.name, which);
}

const ADVERSARY_FILE = "adversary-optimizer.bin";

function packSlots(o: OptimizerState) {
  return pack(o.slots.map((s, i) => ({ name: `${i}`, shape: s.shape, dtype: "float32" as const, values: s.values })));
}

function optimizerManifest(o: OptimizerState, file: string, entries: readonly Entry[]) {
  return {
    kind: o.kind,
    iterations: o.iterations,
    extras: o.extras,
    file,
    slots: o.slots.map((s, i) => ({ variable: s.variable, slot: s.slot, shape: s.shape, dtype: "float32", offset: entries[i]!.offset })),
  };
}

function pack(tensors: readonly SavedTensor[]): { bytes: Uint8Array; entries: Entry[] } {
  let size = 0;
  const entries = tensors.map((t) => {
    const e: Entry = { name: t.name, shape: t.shape, dtype: t.dtype, offset: size };
    size += t.values.byteLength;
    return e;
  });
  const bytes = new Uint8Array(size);
  tensors.forEach((t, i) => bytes.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), entries[i]!.offset));
  return { bytes, entries };
}

/** The checkpoint of a run directory (or its `best` one); a string says why there is no usable one. */
export function readCheckpoint(run: RunDir, which: string = RUN_FILES.checkpoint): Checkpoint | string {
  const folder = run.folderOrBackup(which);
  if (folder === null) return "it holds no checkpoint";
  return readCheckpointAt(folder);
}

/** The run's result, for every reader of a trained run: its best epoch's checkpoint with early stopping (best/), else its last. */
export function readRunResult(run: RunDir): Checkpoint | string {
  return readCheckpoint(run, run.folderOrBackup(RUN_FILES.best) !== null ? RUN_FILES.best : RUN_FILES.checkpoint);
}

/** The checkpoint in the folder `folder`, every binary file checked against the manifest's size and checksum. */
export function readCheckpointAt(folder: string): Checkpoint | string {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(folder, "checkpoint.json"), "utf8"));
  } catch (e) {
    return `its checkpoint.json cannot be read: ${(e as Error).message}`;
  }
  try {
    return parseCheckpoint(manifest, (file) => readBinary(folder, file, manifest));
  } catch (e) {
    if (e instanceof CheckpointError) return e.message;
    throw e;
  }
}

class CheckpointError extends Error {}

/** A binary file of the checkpoint, its size and SHA-256 checked against the manifest. */
function readBinary(folder: string, file: string, manifest: unknown): Buffer {
  const bytes = verifiedBinary(folder, file, manifest);
  if (typeof bytes === "string") throw new CheckpointError(bytes);
  return bytes;
}

function check(cond: boolean, what: string): asserts cond {
  if (!cond) throw new CheckpointError(`its checkpoint is malformed: ${what}`);
}

function parseCheckpoint(m: unknown, readBin: (file: string) => Buffer): Checkpoint {
  check(isObject(m), "checkpoint.json is not an object");
  check(m["format"] === CHECKPOINT_FORMAT, "not an aespec checkpoint");
  check(m["version"] === 1 || m["version"] === CHECKPOINT_VERSION, `version ${String(m["version"])}, this aespec reads versions 1 to ${CHECKPOINT_VERSION}`);
  check(typeof m["model"] === "string" && typeof m["irHash"] === "string" && typeof m["resumeKey"] === "string", "model or hashes missing");
  const state = m["state"];
  check(isObject(state) && isCount(state["epoch"]) && isCount(state["step"]), "epoch or step missing");
  const rng = state["rng"];
  check(isObject(rng) && isRngState(rng["train"]) && isRngState(rng["shuffle"]), "RNG states missing");
  const es = state["earlyStop"];
  check(
    isObject(es) && (es["best"] === null || typeof es["best"] === "number") && isCount(es["bestEpoch"]) && isCount(es["badEpochs"]),
    "early stopping state missing",
  );
  const col = state["collapsed"];
  check(
    isObject(col) &&
      typeof col["posterior"] === "boolean" &&
      typeof col["codebook"] === "boolean" &&
      (col["spread"] === undefined || typeof col["spread"] === "boolean"),
    "collapse state missing",
  );
  const w = m["weights"];
  check(isObject(w) && Array.isArray(w["tensors"]) && typeof w["file"] === "string", "weights manifest missing");
  const weights = unpack(w["tensors"], readBin("weights.bin"));
  const optimizer = parseOptimizer(m["optimizer"], "optimizer", "optimizer.bin", readBin);
  const adversary = m["adversaryOptimizer"] === undefined ? null : parseOptimizer(m["adversaryOptimizer"], "adversary optimizer", ADVERSARY_FILE, readBin);
  return {
    model: m["model"],
    irHash: m["irHash"],
    resumeKey: m["resumeKey"],
    state: state as unknown as LoopState,
    weights,
    optimizer,
    adversary,
  };
}

function parseOptimizer(o: unknown, what: string, file: string, readBin: (file: string) => Buffer): OptimizerState {
  check(isObject(o) && Array.isArray(o["slots"]) && isCount(o["iterations"]) && isObject(o["extras"]), `${what} manifest missing`);
  check(o["kind"] === "adam" || o["kind"] === "sgd" || o["kind"] === "rmsprop", `unknown ${what} kind`);
  const slotEntries = o["slots"] as unknown[];
  const slotTensors = unpack(
    slotEntries.map((s, i) => (isObject(s) ? { ...s, name: `${i}` } : s)),
    readBin(file),
  );
  const slots = slotEntries.map((s, i) => {
    check(isObject(s) && typeof s["variable"] === "string" && typeof s["slot"] === "string", `${what} slot ${i}`);
    return { variable: s["variable"], slot: s["slot"], shape: slotTensors[i]!.shape, values: slotTensors[i]!.values as Float32Array };
  });
  const extras: Record<string, number> = {};
  for (const [k, v] of Object.entries(o["extras"])) {
    check(typeof v === "number", `${what} extra ${k}`);
    extras[k] = v;
  }
  return { kind: o["kind"] as OptimizerKind, iterations: o["iterations"], slots, extras };
}

function unpack(entries: unknown[], bin: Buffer): SavedTensor[] {
  return entries.map((e, i) => {
    check(isObject(e) && typeof e["name"] === "string" && Array.isArray(e["shape"]) && e["shape"].every(isCount), `tensor ${i}`);
    check(e["dtype"] === "float32" || e["dtype"] === "int32", `tensor ${e["name"]} has dtype ${String(e["dtype"])}`);
    check(isCount(e["offset"]) && e["offset"] % 4 === 0, `tensor ${e["name"]} offset`);
    const shape = e["shape"] as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const start = e["offset"];
    check(start + count * 4 <= bin.byteLength, `tensor ${e["name"]} runs past the end of its file`);
    // Copy: the Buffer's memory may be shared and unaligned.
    const bytes = new Uint8Array(bin.buffer, bin.byteOffset + start, count * 4).slice();
    const values = e["dtype"] === "float32" ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
    return { name: e["name"], shape, dtype: e["dtype"], values };
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isCount(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}
