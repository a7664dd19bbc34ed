/**
 * The README's TypeScript blocks compile as a user's code would: strict,
 * importing the package by its published names ("aespec", "aespec/tfjs",
 * resolved through package.json's exports to the built declarations), with
 * the text of a spec given. A snippet that reads a property its type lacks
 * fails here.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/language-reference.js";

const blocks = [...readFileSync(join(REPO_ROOT, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("the README's TypeScript", () => {
  it("has blocks to check", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });

  it("type-checks in strict mode against the package's own declarations", () => {
    // Inside the repository, so that "aespec" resolves to this package (self-reference through its exports).
    const dir = join(REPO_ROOT, "test-artifacts", "readme");
    mkdirSync(dir, { recursive: true });
    const files = blocks.map((code, i) => {
      const f = join(dir, `snippet-${i}.ts`);
      writeFileSync(f, `declare const text: string;\n${code}\nexport {};\n`);
      return f;
    });
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const args = [
      "--noEmit",
      "--strict",
      "--exactOptionalPropertyTypes",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--types",
      "node",
      "--skipLibCheck",
      ...files,
    ];
    const r = spawnSync(process.execPath, [tsc, ...args], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
