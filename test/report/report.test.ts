import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadData } from "../../src/data/load.js";
import type { IrModel } from "../../src/ir/model.js";
import { tileScale } from "../../src/report/image-grid.js";
import { aespec, root } from "../cli/run-cli.js";
import { tempDir } from "../targets/tfjs/train/helpers.js";
import { pngsOf, sectionsOf, svgCount } from "./report-html.js";
import { launchChromium } from "../support/chromium.js";

/** A tiny VAE on 16x16 sprites with a validation fraction; the comment checks that the spec is escaped. */
const SPEC = `// <script>alert("not run")</script> & friends
model tiny_vae {
  input: [16, 16, 1] in [0, 1]
  encoder { flatten dense(32) relu }
  bottleneck: gaussian(4)
  decoder { dense(32) relu dense(256) sigmoid reshape([16, 16, 1]) }
  loss { reconstruction(bernoulli) kl() }
  train { data: sprites(size: 16, count: 64) optimizer: adam(lr: 1e-2) batch: 16 epochs: 2 seed: 3 validation: 0.2 }
}
`;

const SECTIONS = ["curves", "reconstructions", "samples", "traversals", "interpolations", "codes", "metrics", "run", "spec", "not-shown"];
/** Sprites 16x16: tiles scaled by 4 (64 px), 2 px gaps. */
const TILE = 16 * 4 + 2;

describe("aespec report (the built command line)", () => {
  let dir: string;
  let html: string;
  beforeAll(() => {
    dir = tempDir("aespec-report-");
    writeFileSync(join(dir, "tiny.aespec"), SPEC);
    expect(aespec(["train", "tiny.aespec", "--backend", "cpu", "--out", "run"], dir).status).toBe(0);
    const r = aespec(["report", "run", "--backend", "cpu", "--iwae-k", "2"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote run\/report\.html in [\d.]+ s$/m);
    html = readFileSync(join(dir, "run/report.html"), "utf8");
  }, 60_000);

  it("writes every section, in order, with its plots and pictures, and no script", () => {
    const s = sectionsOf(html);
    expect([...s.keys()]).toEqual(SECTIONS);
    // reconstruction, kl and total, each train and validation
    expect(svgCount(s.get("curves")!)).toBe(3);
    expect(s.get("curves")!).toContain(">validation<");
    expect(pngsOf(s.get("reconstructions")!)).toHaveLength(2);
    for (const id of ["samples", "traversals", "interpolations"]) expect(pngsOf(s.get(id)!), id).toHaveLength(1);
    expect(svgCount(s.get("codes")!)).toBe(1);
    expect(s.get("not-shown")!).toBe('\n<h2>Not shown</h2>\n<ul class="notes"><li>codebook usage: the bottleneck is gaussian, not vq</li></ul>\n');
    expect(s.get("reconstructions")!).toContain("their reconstructions (evaluation mode: the Gaussian decodes its mean)");
    expect(s.get("metrics")!).toMatch(/<td>reconstruction bce<\/td><td class="value">[\d.]+<\/td>/);
    expect(s.get("metrics")!).toContain("<td>iwae nll (K = 2)</td>");
    // The run as trained: settings resolved from the IR, wall time the sum of the logged epochs'.
    const run = s.get("run")!;
    const cell = (k: string) => new RegExp(`<td>${k}</td><td class="value">([^<]*)</td>`).exec(run)?.[1];
    expect(cell("optimizer")).toBe("adam(lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)");
    expect([cell("seed"), cell("batch"), cell("validation"), cell("init"), cell("epochs")]).toEqual(["3", "16", "0.2", "torch", "2 trained of 2"]);
    expect(cell("data")).toBe("sprites(size: 16, count: 64)");
    const logged = readFileSync(join(dir, "run/metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seconds: number });
    expect(cell("wall time")).toBe(`${logged.reduce((a, e) => a + e.seconds, 0).toFixed(1)} s over the 2 logged epochs`);
    expect(s.get("spec")!).toContain("// &lt;script&gt;alert(&quot;not run&quot;)&lt;/script&gt; &amp; friends");
    expect(html).not.toMatch(/<script/i);
    // nothing to fetch: every image is inline
    expect(html).not.toMatch(/(src|href)="(?!data:|#)/);
  });

  it("draws the test images as they are, and grids of the expected sizes", async () => {
    const ir = JSON.parse(readFileSync(join(dir, "run/ir.json"), "utf8")) as IrModel;
    const data = await loadData(ir.train.data!, { seed: 3 });
    if (!data.ok) throw new Error(data.diagnostic.message);
    const test = data.value.test!;
    const s = sectionsOf(html);
    const [inputs, recs] = pngsOf(s.get("reconstructions")!) as [ReturnType<typeof pngsOf>[0], ReturnType<typeof pngsOf>[0]];
    const n = Math.min(24, test.count);
    expect(tileScale({ height: 16, width: 16, channels: 1 })).toBe(4);
    expect([inputs.width, inputs.height]).toEqual([Math.min(8, n) * TILE + 2, Math.ceil(n / 8) * TILE + 2]);
    expect([recs.width, recs.height]).toEqual([inputs.width, inputs.height]);
    for (let i = 0; i < n; i++) {
      const [top, left] = [2 + Math.floor(i / 8) * TILE, 2 + (i % 8) * TILE];
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const o = ((top + 4 * y + 3) * inputs.width + left + 4 * x + 1) * 4;
          expect(inputs.data[o]).toBe(Math.round(255 * test.x[i * 256 + y * 16 + x]!));
        }
      }
    }
    // 32 prior samples in 4 rows of 8; traversals: one row per unit (4), 9 steps; interpolations: 6 pairs, 9 steps and the 2 ends
    const [samples] = pngsOf(s.get("samples")!);
    expect([samples!.width, samples!.height]).toEqual([8 * TILE + 2, 4 * TILE + 2]);
    const [traversals] = pngsOf(s.get("traversals")!);
    expect([traversals!.width, traversals!.height]).toEqual([9 * TILE + 2, 4 * TILE + 2]);
    const [interpolations] = pngsOf(s.get("interpolations")!);
    expect([interpolations!.width, interpolations!.height]).toEqual([11 * TILE + 2, Math.min(6, Math.floor(test.count / 2)) * TILE + 2]);
    // traversal rows are sorted by KL, largest first
    const kls = [...s.get("traversals")!.matchAll(/unit \d+ \(KL ([\d.e-]+) nats\)/g)].map((m) => Number(m[1]));
    expect(kls).toHaveLength(4);
    expect([...kls].sort((a, b) => b - a)).toEqual(kls);
  });

  it("is reproducible: a second report is the same file", () => {
    expect(aespec(["report", "run", "--backend", "cpu", "--iwae-k", "2"], dir).status).toBe(0);
    expect(readFileSync(join(dir, "run/report.html"), "utf8")).toBe(html);
  });

  it("refuses an unreadable run with a located error, not a stack trace", () => {
    mkdirSync(join(dir, "broken"));
    writeFileSync(join(dir, "broken/ir.json"), "{ not json");
    for (const [run, why] of [
      ["no-such-run", "there is no such folder"],
      ["broken", "its ir.json is not valid JSON"],
    ] as const) {
      const r = aespec(["report", run, "--backend", "cpu"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${run}: error AE3301: cannot evaluate '${run}': ${why}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, run, "report.html"))).toBe(false);
    }
    expect(aespec(["report", "run", "--limit", "0"], dir).status).toBe(2);

    // a report.html that is a folder is not written through
    const [file, aside] = [join(dir, "run/report.html"), join(dir, "report.aside")];
    renameSync(file, aside);
    mkdirSync(file);
    try {
      const r = aespec(["report", "run", "--backend", "cpu", "--iwae-k", "1"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("run/report.html: error AE3302: cannot write 'run/report.html': it is a folder");
    } finally {
      rmdirSync(file);
      renameSync(aside, file);
    }
  });

  it("opens offline in headless Chromium with every image and plot drawn", async (ctx) => {
    const browser = await launchChromium();
    if (browser === null) {
      ctx.skip();
      return;
    }
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, offline: true });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("data:") || url.startsWith("file:")) return route.continue();
        problems.push(`blocked request: ${url}`);
        return route.abort();
      });
      await page.goto(`file://${join(dir, "run/report.html")}`, { waitUntil: "load" });
      const images = await page.$$eval("img", (imgs) => imgs.map((i) => ({ complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })));
      expect(images).toHaveLength(5);
      for (const i of images) expect(i.complete && i.width > 0 && i.height > 0).toBe(true);
      const plots = await page.$$eval("figure.plot > svg", (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = [...svg.querySelectorAll("g.role-mark > *")].filter((m) => {
            const b = (m as unknown as { getBBox(): { width: number; height: number } }).getBBox();
            return b.width > 0 || b.height > 0;
          });
          return { width: box.width, height: box.height, marks: marks.length };
        }),
      );
      expect(plots).toHaveLength(4);
      for (const p of plots) expect(p.width > 0 && p.height > 0 && p.marks > 0, JSON.stringify(p)).toBe(true);
      expect(problems).toEqual([]);
      mkdirSync(join(root, "test-artifacts"), { recursive: true });
      await page.screenshot({ path: join(root, "test-artifacts/report.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
