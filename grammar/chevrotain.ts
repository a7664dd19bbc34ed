import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Chevrotain, loaded from the single-file bundle that its package ships
 * (lib/chevrotain.mjs). The package's entry point (lib/src/api.js) pulls in
 * lodash-es module by module, which costs about 180 ms at start-up on every
 * `aespec check`; the bundle, the same code, loads in under 10 ms. The
 * package's `exports` map hides the bundle, so it is found beside the entry.
 *
 * Every value from Chevrotain must come through this module: two copies would
 * have two EOF tokens. Types may still be imported from "chevrotain".
 */
type Chevrotain = typeof import("chevrotain");

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    const mod = (await import(pathToFileURL(bundle).href)) as Chevrotain;
    if (typeof mod.CstParser === "function") return mod;
  } catch {
    // a different layout: fall back to the entry point
  }
  return import("chevrotain");
}

const chevrotain = await load();

export const CstParser: Chevrotain["CstParser"] = chevrotain.CstParser;
export const Lexer: Chevrotain["Lexer"] = chevrotain.Lexer;
export const EOF: Chevrotain["EOF"] = chevrotain.EOF;
export const createToken: Chevrotain["createToken"] = chevrotain.createToken;
export const tokenMatcher: Chevrotain["tokenMatcher"] = chevrotain.tokenMatcher;
export const MismatchedTokenException: Chevrotain["MismatchedTokenException"] = chevrotain.MismatchedTokenException;
export const VERSION: string = chevrotain.VERSION;
export const createTokenInstance: Chevrotain["createTokenInstance"] = chevrotain.createTokenInstance;
