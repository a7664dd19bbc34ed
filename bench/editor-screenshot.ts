/**
 * `npm run screenshot:editor`: docs/images/editor.png, a rendering of what VS
 * Code shows of specs/vae.aespec with the extension: the colours of the
 * extension's TextMate grammar (vscode-textmate, VS Code's engine, with the
 * Dark+ theme's colours for those scopes), the inlay hints and a hover as the
 * language server computes them (the functions `aespec lsp` answers with),
 * laid out as the editor lays them out, and photographed by headless Chromium.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import textmate from "vscode-textmate";
import { analyze } from "../src/lsp/analysis.js";
import { hover } from "../src/lsp/hover.js";
import { inlayHints } from "../src/lsp/inlay-hints.js";
import { offsetOf } from "../src/lsp/positions.js";
import { grammarFile, loadAespecGrammar } from "./textmate-grammar.js";

const root = resolve(import.meta.dirname, "../..");
const SPEC = join(root, "specs", "vae.aespec");
const GRAMMAR = grammarFile(root);
const OUT = join(root, "docs", "images", "editor.png");
const LINES = [2, 27]; // the vae model, 0-based and inclusive
const HOVER_AT = { line: 6, character: 6 }; // `dense(512)` of the encoder

/** Dark+ colours (VS Code's default dark theme) for the scopes the grammar gives. */
const THEME: [RegExp, string][] = [
  [/^comment/, "#6A9955"],
  [/^string/, "#CE9178"],
  [/^constant\.numeric/, "#B5CEA8"],
  [/^constant\.language/, "#569CD6"],
  [/^keyword\.operator/, "#D4D4D4"],
  [/^keyword/, "#C586C0"],
  [/^entity\.name\.type|^entity\.other\.inherited-class/, "#4EC9B0"],
  [/^entity\.name\.function/, "#DCDCAA"],
  [/^variable\.parameter/, "#9CDCFE"],
  [/^variable/, "#9CDCFE"],
];
const colourOf = (scopes: readonly string[]) => {
  for (let i = scopes.length - 1; i >= 0; i--) for (const [re, c] of THEME) if (re.test(scopes[i]!)) return c;
  return "#D4D4D4";
};
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The hover's Markdown as the editor renders it: bold, code spans, fenced code. */
function markdown(md: string): string {
  return md
    .split("\n\n")
    .map((para) => {
      const fenced = /^```\w*\n([\s\S]*?)\n```$/.exec(para);
      if (fenced !== null) return `<pre class="code">${esc(fenced[1]!)}</pre>`;
      return `<p>${esc(para)
        .replace(/\*\*(.+?)\*\*/g, "<b>$1</b>")
        .replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`;
    })
    .join("");
}

async function main(): Promise<void> {
  const text = readFileSync(SPEC, "utf8");
  const a = analyze(pathToFileURL(SPEC).href, 1, text);
  const hints = inlayHints(a, 0, text.length);
  const h = hover(a, offsetOf(a.source, HOVER_AT));
  if (h === null) throw new Error("no hover at the chosen place");
  const g = await loadAespecGrammar(GRAMMAR);
  let state = textmate.INITIAL;
  const rows: string[] = [];
  text.split("\n").forEach((line, n) => {
    const r = g.tokenizeLine(line, state);
    state = r.ruleStack;
    if (n < LINES[0]! || n > LINES[1]!) return;
    const lineHints = hints.filter((x) => x.position.line === n);
    let html = "";
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      for (let i = t.startIndex; i < end; i++) {
        for (const hint of lineHints) if (hint.position.character === i) html += `<span class="hint">${esc(String(hint.label).trim())}</span>`;
      }
      html += `<span style="color:${colourOf(t.scopes)}">${esc(line.slice(t.startIndex, end))}</span>`;
    }
    for (const hint of lineHints) if (hint.position.character >= line.length) html += `<span class="hint">${esc(String(hint.label).trim())}</span>`;
    rows.push(`<div class="row"><span class="num">${n + 1}</span>${html === "" ? "&nbsp;" : html}</div>`);
  });
  const hoverRow = HOVER_AT.line - LINES[0]!;
  const page = `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #1E1E1E; font-family: "DejaVu Sans Mono", monospace; font-size: 14px; }
    .editor { position: relative; padding: 10px 0; width: 1060px; }
    .tab { background: #252526; color: #CCCCCC; font-family: "DejaVu Sans", sans-serif; font-size: 13px; padding: 8px 14px; border-bottom: 1px solid #333; }
    .row { height: 20px; line-height: 20px; white-space: pre; color: #D4D4D4; }
    .num { display: inline-block; width: 44px; text-align: right; padding-right: 18px; color: #858585; }
    .hint { background: rgba(97,97,97,0.3); color: #A0A0A0; border-radius: 3px; padding: 0 4px; margin: 0 2px 0 4px; font-size: 12.5px; }
    .hover { position: absolute; left: 150px; top: ${10 + (hoverRow + 1) * 20 + 2}px; max-width: 720px; background: #252526; color: #CCCCCC;
             border: 1px solid #454545; font-family: "DejaVu Sans", sans-serif; font-size: 13px; padding: 4px 10px; box-shadow: 0 2px 8px rgba(0,0,0,0.6); }
    .hover p { margin: 6px 0; } .hover code { font-family: "DejaVu Sans Mono", monospace; color: #D7BA7D; }
    .hover pre.code { font-family: "DejaVu Sans Mono", monospace; color: #DCDCAA; margin: 6px 0; }
  </style></head><body><div class="tab">vae.aespec — specs</div><div class="editor">${rows.join("")}
  <div class="hover">${markdown((h.contents as { value: string }).value)}</div></div></body></html>`;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: process.env["CHROMIUM"] ?? "/usr/bin/chromium" });
  const p = await browser.newPage({ viewport: { width: 1060, height: 600 }, deviceScaleFactor: 1 });
  await p.setContent(page);
  await p.screenshot({ path: OUT, fullPage: true });
  await browser.close();
  console.log(`wrote ${OUT}`);
}

await main();
