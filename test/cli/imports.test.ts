import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./run-cli.js";

const STATIC = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm;
const DYNAMIC = /import\(\s*"([^"]+)"\s*\)/g;

/** Every module a process loads when it starts at `entry` (static imports only), and the bare packages they import. */
function loadedAtStart(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const m of readFileSync(f, "utf8").matchAll(STATIC)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith(".")) todo.push(resolve(dirname(f), spec));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

const heavy = (packages: Iterable<string>) => [...packages].filter((p) => /tensorflow|onnx|cli-progress/.test(p));

describe("the front end stays light", () => {
  it("starting the command line loads neither TensorFlow.js nor onnxruntime", () => {
    const entry = join(root, "dist/src/cli/main.js");
    expect(existsSync(entry)).toBe(true);
    const { files, packages } = loadedAtStart(entry);
    expect(files.size).toBeGreaterThan(10);
    expect(packages.has("commander")).toBe(true); // the walk does see packages
    expect(heavy(packages)).toEqual([]);
  });

  it("`aespec check` reaches them not even through a dynamic import", () => {
    const { files } = loadedAtStart(join(root, "dist/src/cli/commands/check.js"));
    const dynamic = [...files].flatMap((f) => [...readFileSync(f, "utf8").matchAll(DYNAMIC)].map((m) => m[1]!));
    expect(heavy(dynamic)).toEqual([]);
    expect(dynamic.filter((d) => d.includes("targets/"))).toEqual([]);
  });

  it("the command line reaches a target only through the target table, whose target modules are light", () => {
    const dist = (f: string) => join(root, "dist", f);
    const cli = [...loadedAtStart(dist("src/cli/main.js")).files].filter((f) => f.includes("/dist/src/"));
    const dynamicFromCli = cli.flatMap((f) => [...readFileSync(f, "utf8").matchAll(DYNAMIC)].map((m) => m[1]!));
    expect(dynamicFromCli.filter((d) => d.includes("targets/"))).toEqual([]);
    const table = readFileSync(dist("targets/table.js"), "utf8");
    const targetModules = [...table.matchAll(DYNAMIC)].map((m) => resolve(dirname(dist("targets/table.js")), m[1]!));
    expect(targetModules.length).toBeGreaterThanOrEqual(2);
    for (const t of targetModules) expect(heavy(loadedAtStart(t).packages), t).toEqual([]);
    // The engines are reached when a command runs: tfjs's target loads TensorFlow.js by dynamic import.
    const tfjsTarget = targetModules.find((t) => t.includes("/tfjs/"))!;
    const reached = [...readFileSync(tfjsTarget, "utf8").matchAll(DYNAMIC)].map((m) => resolve(dirname(tfjsTarget), m[1]!));
    expect(reached.flatMap((f) => [...loadedAtStart(f).packages])).toContain("@tensorflow/tfjs-core");
  });
});
