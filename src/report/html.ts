/**
 * The report page: one self-contained HTML file (CSS inline, images as data:
 * URIs, plots as inline SVG, no scripts), so it opens offline and can be
 * mailed or archived as one file.
 */

/** One section of the page; `html` is trusted markup built by this folder (text in it already escaped). */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly html: string;
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A paragraph of plain text (escaped). */
export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** An image (a data: URI) with a caption. */
export function imageFigure(dataUri: string, caption: string, alt = caption): string {
  return `<figure class="image"><img src="${dataUri}" alt="${escapeHtml(alt)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** An inline SVG plot with a caption. */
export function plotFigure(svg: string, caption: string): string {
  return `<figure class="plot">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 1100px; padding: 1.5em; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
nav a { margin-right: 1em; }
.subtitle { color: #555; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start; }
figure { margin: 0; } figcaption { color: #555; font-size: 13px; margin-top: 0.3em; max-width: 40em; }
figure.image img { image-rendering: pixelated; display: block; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.9em 0.2em 0; text-align: left; vertical-align: top; }
tr + tr td { border-top: 1px solid #eee; } td.value { font-variant-numeric: tabular-nums; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 13px; }
`;

export function reportPage(title: string, subtitle: string, sections: readonly ReportSection[]): string {
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("\n");
  const body = sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(subtitle)}</p>
<nav>
${nav}
</nav>
${body}
</body>
</html>
`;
}
