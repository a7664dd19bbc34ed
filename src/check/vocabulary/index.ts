import { BOTTLENECK_SIGNATURES, CORRUPTION_SIGNATURES, LADDER_LEVEL_SIGNATURES, PRIOR_SIGNATURES } from "./bottlenecks.js";
import { LAYER_SIGNATURES } from "./layers.js";
import { LOSS_SIGNATURES } from "./losses.js";
import { DATA_SIGNATURES, OPTIMIZER_SIGNATURES, SCHEDULE_SIGNATURES, TRAIN_SETTINGS } from "./train.js";
import type { CallVocabName, Signature, Vocabulary } from "./types.js";

export const VOCABULARIES: { readonly [V in CallVocabName]: Vocabulary } = {
  layer: { noun: "layer", entries: LAYER_SIGNATURES },
  bottleneck: { noun: "bottleneck", entries: BOTTLENECK_SIGNATURES },
  ladderLevel: { noun: "ladder level", entries: LADDER_LEVEL_SIGNATURES },
  corruption: { noun: "corruption", entries: CORRUPTION_SIGNATURES },
  prior: { noun: "prior", entries: PRIOR_SIGNATURES },
  loss: { noun: "loss term", entries: LOSS_SIGNATURES },
  data: { noun: "data set", entries: DATA_SIGNATURES },
  optimizer: { noun: "optimizer", entries: OPTIMIZER_SIGNATURES },
  schedule: { noun: "learning-rate schedule", entries: SCHEDULE_SIGNATURES },
};

export function signatureOf(vocab: CallVocabName, name: string): Signature | undefined {
  const entries = VOCABULARIES[vocab].entries;
  return Object.hasOwn(entries, name) ? entries[name] : undefined;
}

export function entryNames(vocab: CallVocabName): string[] {
  return Object.keys(VOCABULARIES[vocab].entries);
}

/**
 * Every word a name in an expression may be besides a let: entry names of all
 * vocabularies, enum values and booleans. A name outside this set is unknown
 * (AE2003); a known word in the wrong place is a type error (AE2107).
 */
export const ALL_WORDS: readonly string[] = (() => {
  const words = new Set<string>(["true", "false"]);
  for (const v of Object.values(VOCABULARIES)) {
    for (const [name, s] of Object.entries(v.entries)) {
      words.add(name);
      for (const p of s.params) if (p.type.kind === "enum") for (const e of p.type.values) words.add(e);
    }
  }
  for (const p of TRAIN_SETTINGS) if (p.type.kind === "enum") for (const e of p.type.values) words.add(e);
  return [...words];
})();

export const ALL_WORD_SET: ReadonlySet<string> = new Set(ALL_WORDS);

export type { CallVocabName, Signature, Vocabulary, Param, ParamType } from "./types.js";
