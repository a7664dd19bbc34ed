/** The metrics of `aespec eval` as an HTML table: the same rows as the terminal table (src/eval/eval-rows.ts). */
import type { EvalReport } from "../eval/eval-report.js";
import { evalHeading, evalRows } from "../eval/eval-rows.js";
import { escapeHtml, paragraph, type ReportSection } from "./html.js";

export function metricsSection(r: EvalReport): ReportSection {
  const rows = evalRows(r).map(([metric, value]) => `<tr><td>${escapeHtml(metric)}</td><td class="value">${escapeHtml(value)}</td></tr>`);
  const notes = [...(r.pooledCodes ? ["codes for the probe and MIG: the latent map's mean over its positions"] : []), ...r.notes].map(
    (n) => `<li>${escapeHtml(n)}</li>`,
  );
  const html = [
    paragraph(evalHeading(r)),
    `<table><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`,
    notes.length > 0 ? `<ul class="notes">${notes.join("")}</ul>` : "",
  ].join("\n");
  return { id: "metrics", title: "Metrics", html };
}
