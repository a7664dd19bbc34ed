/** The language reference, docs/language.md: its examples are the contract the tests hold the compiler to. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const LANGUAGE_MD = resolve(REPO_ROOT, "docs/language.md");

export function languageText(): string {
  return readFileSync(LANGUAGE_MD, "utf8");
}

/** The ```aespec blocks of the reference, in order. */
export function languageExamples(): string[] {
  return [...languageText().matchAll(/```aespec\n([\s\S]*?)```/g)].map((m) => m[1]!);
}
