import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./run-cli.js";

/** Every module statically reachable from an entry of dist/, and the bare packages they import. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/gm)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith(".")) todo.push(resolve(dirname(f), spec));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe("the front end stays light", () => {
  it("`aespec check` reaches neither TensorFlow.js nor onnxruntime, statically or dynamically", () => {
    const entry = join(root, "dist/src/cli/commands/check.js");
    expect(existsSync(entry)).toBe(true);
    const { files, packages } = staticGraph(entry);
    expect(files.size).toBeGreaterThan(10);
    const heavy = [...packages].filter((p) => /tensorflow|onnx/.test(p));
    expect(heavy).toEqual([]);
  });
});
