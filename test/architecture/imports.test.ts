import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/language-reference.js";

/**
 * The import rules, enforced: imports run forward and down (grammar ->
 * syntax -> check -> IR -> targets), with no cycle between files. Every
 * static and dynamic import of a relative module counts, types included.
 */
const STAGES = ["grammar", "src", "targets"];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "proto" ? [] : sources(p); // generated protobuf code
    return p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

const files = STAGES.flatMap((s) => sources(join(REPO_ROOT, s)));
const rel = (f: string) => relative(REPO_ROOT, f);
const graph = new Map<string, string[]>(
  files.map((f) => [
    rel(f),
    [...readFileSync(f, "utf8").matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2]!)
      .filter((s) => s.startsWith("."))
      .map((s) => rel(resolve(dirname(f), s)).replace(/\.js$/, ".ts")),
  ]),
);
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

/** The cycles of the file graph (strongly connected components of more than one file, or a file importing itself). */
function cyclesOf(g: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  for (const root of g.keys()) {
    if (index.has(root)) continue;
    // Tarjan's algorithm with an explicit stack of (node, next edge).
    const work: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const succ = (g.get(v) ?? []).filter((w) => g.has(w));
      if (i < succ.length) {
        top[1]++;
        const w = succ[i]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          c.push(w);
        } while (w !== v);
        if (c.length > 1 || (g.get(v) ?? []).includes(v)) out.push(c.sort());
      }
    }
  }
  return out;
}

describe("import rules", () => {
  it("reads the whole tree (the walk sees files and imports)", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(edges.length).toBeGreaterThan(500);
  });

  it("no file imports another that imports it back, however far round", () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("the cycle finder finds a cycle (the test can fail)", () => {
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
  });

  it("the language server (src/lsp) reads the front end only: no target, no run, no engine; only `aespec lsp` imports it", () => {
    const out = edges.filter((e) => e.from.startsWith("src/lsp/") && !e.to.startsWith("src/lsp/"));
    expect(out.length).toBeGreaterThan(10);
    const allowed = /^(src\/(syntax|check|diagnostics|ir|compile\.ts|version\.ts|cli\/describe\.ts|data\/file-bytes\.ts)|grammar\/)/;
    expect(out.filter((e) => !allowed.test(e.to))).toEqual([]);
    const into = edges.filter((e) => e.to.startsWith("src/lsp/") && !e.from.startsWith("src/lsp/"));
    expect(into.map((e) => e.from)).toEqual(["src/cli/commands/lsp.ts"]);
  });

  it("src/ imports targets/ in one place only: the command line's entry reads the target table", () => {
    const back = edges.filter((e) => e.from.startsWith("src/") && e.to.startsWith("targets/"));
    expect(back).toEqual([{ from: "src/cli/main.ts", to: "targets/table.ts" }]);
  });

  it("the target table names each target's target.ts, by dynamic import only", () => {
    const table = readFileSync(join(REPO_ROOT, "targets/table.ts"), "utf8");
    const dynamic = [...table.matchAll(/import\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
    expect(dynamic.length).toBeGreaterThanOrEqual(2);
    for (const d of dynamic) expect(d).toMatch(/^\.\/[a-z]+\/target\.js$/);
    expect(
      graph
        .get("targets/table.ts")!
        .filter((to) => to.startsWith("targets/"))
        .sort(),
    ).toEqual(dynamic.map((d) => `targets/${d!.slice(2).replace(/\.js$/, ".ts")}`).sort());
    expect(table).not.toMatch(/^\s*import\s+(?!type)[^(]*from\s+"\.\//m);
  });

  it("targets import only the IR, the run contract, the target interface, diagnostics, data, metrics, eval and report types, aespec's version, and their own files", () => {
    const allowed = /^(src\/(ir|run|target|diagnostics|data|metrics|eval|report)\/|src\/version\.ts$|targets\/)/;
    // The tfjs library entry (aespec/tfjs: compileModel, then train) compiles specs for its callers.
    const pending = new Set(["src/compile.ts"]);
    const bad = edges.filter((e) => e.from.startsWith("targets/") && !allowed.test(e.to) && !pending.has(e.to));
    expect(bad).toEqual([]);
  });

  it("the grammar imports no later stage; the IR imports only the IR and spans; src/check, src/syntax and src/data no target", () => {
    const bad = edges.filter(
      (e) =>
        (e.from.startsWith("grammar/") && !e.to.startsWith("grammar/")) ||
        (e.from.startsWith("src/ir/") && !e.to.startsWith("src/ir/") && e.to !== "src/diagnostics/span.ts") ||
        (/^src\/(check|syntax|data|ir|diagnostics|metrics|report|run|eval)\//.test(e.from) && e.to.startsWith("targets/")),
    );
    expect(bad).toEqual([]);
  });

  it("one target does not import another", () => {
    const target = (f: string) => /^targets\/([^/]+)\//.exec(f)?.[1] ?? null;
    expect(edges.filter((e) => target(e.from) !== null && target(e.to) !== null && target(e.from) !== target(e.to))).toEqual([]);
  });
});
