/**
 * `npm run figures [-- name ...]`: the figures of the autoencoder variants
 * (issue 5's closing note), each training its models on the full data set
 * for a few epochs and printing a small table. Without names, all of them.
 * They take minutes each; `npm run bench` stays short.
 */
import { backend } from "./common.js";

export interface Figure {
  /** One line: what it shows. */
  readonly title: string;
  readonly run: () => Promise<void>;
}

/** One entry per figure; each lives in its own file. */
const FIGURES: Record<string, () => Promise<Figure>> = {
  ladder: () => import("./ladder.js").then((m) => m.figure()),
  masked: () => import("./masked.js").then((m) => m.figure()),
  denoising: () => import("./denoising.js").then((m) => m.figure()),
  "prior-match": () => import("./prior-match.js").then((m) => m.figure()),
  contractive: () => import("./contractive.js").then((m) => m.figure()),
  representation: () => import("./representation.js").then((m) => m.figure()),
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((n) => !(n in FIGURES));
  if (unknown.length > 0) {
    console.error(`unknown figure(s): ${unknown.join(", ")}; known: ${Object.keys(FIGURES).join(", ")}`);
    process.exit(2);
  }
  console.log(`backend ${await backend()}`);
  for (const name of asked.length > 0 ? asked : Object.keys(FIGURES)) {
    const fig = await FIGURES[name]!();
    console.log(`\n== ${name}: ${fig.title}`);
    const t0 = performance.now();
    await fig.run();
    console.log(`   (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
}

await main();
