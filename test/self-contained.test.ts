import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/language-reference.js";

/**
 * A clone has nothing beside it: no tracked file may reach outside the
 * repository (the workspace that built aespec kept its first language
 * reference in ../shared; docs/language.md replaced it). .ci/run also runs
 * the whole suite in a fresh clone with nothing beside it.
 */
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
  .split("\n")
  .filter((f) => f !== "" && !f.endsWith(".bin") && f !== "package-lock.json");

describe("the repository stands on its own", () => {
  it("no tracked file names a path above the repository", () => {
    const outside = /\.\.\/(\.\.\/)*shared\b|\bLANGUAGE\.md|\bDESIGN\.md/;
    const offenders = tracked.filter((f) => f !== "test/self-contained.test.ts" && outside.test(readFileSync(join(REPO_ROOT, f), "latin1")));
    expect(offenders).toEqual([]);
  });

  it("the README links the language reference, the ladder's semantics and the PyTorch target's page, which exist", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    for (const doc of ["docs/language.md", "docs/ladder-vae.md", "docs/pytorch.md"]) {
      expect(readme).toContain(`](${doc})`);
      expect(tracked).toContain(doc);
    }
  });
});
