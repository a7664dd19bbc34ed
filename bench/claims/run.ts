/**
 * `npm run claims [-- name ...]`: trains what each claim of the theory needs
 * (through the aespec command line, into claims-runs/, resumable) and writes
 * docs/claims.md: one table per claim, the commands that reproduce it, and
 * whether the numbers show it. Results are kept in docs/claims.json, so a
 * claim run alone updates its own section. Not part of the test suite.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { AESPEC_VERSION } from "../../src/version.js";
import { betaCollapse } from "./beta-collapse.js";
import { ROOT, type Claim, type ClaimResult } from "./claim.js";
import { disentanglement } from "./disentanglement.js";
import { aggregatePosterior, denoisingContractive, maskedCode } from "./figure-claims.js";
import { ladderSkips } from "./ladder.js";
import { linearPca } from "./linear-pca.js";
import { trivialSolutions } from "./trivial.js";
import { vaeNll } from "./vae-nll.js";
import { vqCollapse } from "./vq-collapse.js";

/** In the order of the experiments issue. */
const CLAIMS: readonly Claim[] = [
  linearPca,
  betaCollapse,
  disentanglement,
  ladderSkips,
  aggregatePosterior,
  vqCollapse,
  maskedCode,
  denoisingContractive,
  trivialSolutions,
  vaeNll,
];

interface Kept extends ClaimResult {
  readonly seconds: number;
  readonly date: string;
  readonly machine: string;
  readonly aespec: string;
}

const JSON_FILE = join(ROOT, "docs/claims.json");
const MD_FILE = join(ROOT, "docs/claims.md");

function page(kept: Readonly<Record<string, Kept>>): string {
  const verdicts = CLAIMS.map((c, i) => `| ${i + 1} | [${c.title}](#${i + 1}-${anchor(c.title)}) | ${kept[c.name]?.verdict ?? "not run"} |`);
  const sections = CLAIMS.map((c, i) => {
    const k = kept[c.name];
    const head = `## ${i + 1}. ${c.title}\n\n**Claim.** ${c.statement}\n\n`;
    if (k === undefined) return `${head}Not run yet: \`npm run claims -- ${c.name}\`.\n`;
    return (
      `${head}**${k.verdict === "shown" ? "Shown" : k.verdict === "not shown" ? "Not shown" : "Measured"}.** ${k.why}\n\n${k.body}\n\n` +
      `Reproduce (\`npm run claims -- ${c.name}\`, ${Math.round(k.seconds)} s on ${k.machine}, aespec ${k.aespec}, ${k.date}):\n\n` +
      "```sh\n" +
      k.commands.join("\n") +
      "\n```\n"
    );
  });
  return [
    "# Claims",
    "",
    "What the theory of autoencoders says, each claim measured by training on the built-in sets. Written by `npm run claims` (bench/claims); each section says how it was made and the commands that make it again. A claim is **shown** when its numbers say what it claims by the criterion in its bench/claims file, and **not shown** otherwise; both are results.",
    "",
    "| # | claim | |",
    "|---|---|---|",
    ...verdicts,
    "",
    ...sections,
  ].join("\n");
}

const anchor = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((n) => !CLAIMS.some((c) => c.name === n));
  if (unknown.length > 0) {
    console.error(`unknown claim(s): ${unknown.join(", ")}; known: ${CLAIMS.map((c) => c.name).join(", ")}`);
    process.exit(2);
  }
  const kept = (existsSync(JSON_FILE) ? JSON.parse(readFileSync(JSON_FILE, "utf8")) : {}) as Record<string, Kept>;
  const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? "CPU"}`;
  for (const claim of CLAIMS.filter((c) => asked.length === 0 || asked.includes(c.name))) {
    console.log(`\n== ${claim.name}: ${claim.title}`);
    const t0 = performance.now();
    let result: ClaimResult;
    try {
      result = await claim.run();
    } catch (e) {
      console.error(`claim ${claim.name} failed: ${(e as Error).message}`);
      process.exitCode = 1;
      continue;
    }
    const seconds = (performance.now() - t0) / 1000;
    kept[claim.name] = { ...result, seconds, date: new Date().toISOString().slice(0, 10), machine, aespec: AESPEC_VERSION };
    console.log(`   ${result.verdict}: ${result.why} (${seconds.toFixed(0)} s)`);
    writeFileSync(JSON_FILE, JSON.stringify(kept, null, 2) + "\n");
    writeFileSync(MD_FILE, page(kept));
  }
}

await main();
