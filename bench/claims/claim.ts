/**
 * The pieces every claim of `npm run claims` uses: the aespec command line
 * run as a user runs it (each claim's commands are what docs/claims.md
 * quotes), the comparison of a sweep, and markdown tables.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { num } from "../../src/eval/eval-rows.js";
import type { Comparison } from "../../src/report/comparison.js";

/** The repository (this file runs from dist/bench/claims). */
export const ROOT = resolve(import.meta.dirname, "../../..");
/** Where the claims' runs and sweeps live (ignored by git); a claim run again resumes from them. */
export const WORK = join(ROOT, "claims-runs");
export const SPEC = "bench/claims/claims.aespec";

export type Verdict = "shown" | "not shown" | "see the table";

export interface ClaimResult {
  /** The commands that reproduce it, from the repository's folder. */
  readonly commands: readonly string[];
  /** Markdown: the table or figure, and what it says. */
  readonly body: string;
  readonly verdict: Verdict;
  /** Why the verdict, in one or two sentences, from the numbers. */
  readonly why: string;
}

export interface Claim {
  readonly name: string;
  readonly title: string;
  /** The claim, as the theory states it. */
  readonly statement: string;
  readonly run: () => Promise<ClaimResult>;
}

const quote = (a: string) => (/^[\w./=:,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** The command line as a user types it. */
export const commandLine = (args: readonly string[]) => ["aespec", ...args.map(quote)].join(" ");

/** Runs `aespec ARGS` from the repository's folder (stderr shown as it comes); its stdout; throws on a failure. */
export function aespec(args: readonly string[]): Promise<string> {
  console.log(`  $ ${commandLine(args)}`);
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/aespec.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => (code === 0 ? done(out) : failed(new Error(`${commandLine(args)} exited ${code}:\n${out}`))));
  });
}

/** `aespec compare DIR --json` with the given eval options (those of the sweep, so its evaluations are used). */
export async function compared(dirs: readonly string[], evalArgs: readonly string[]): Promise<Comparison> {
  return JSON.parse(await aespec(["compare", ...dirs, "--json", ...evalArgs])) as Comparison;
}

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (c: string | number) => (typeof c === "number" ? num(c) : c);
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

/** Numbers that fall (each below the one before) or rise. */
export const falls = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x < xs[i - 1]!);
export const nonRising = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x <= xs[i - 1]!);
