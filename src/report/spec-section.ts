/** The spec as trained: RUN/spec.aespec, as text. */
import { existsSync, readFileSync } from "node:fs";
import { escapeHtml, paragraph, type ReportSection } from "./html.js";

export function specSection(specFile: string, model: string): ReportSection {
  const html = existsSync(specFile)
    ? paragraph(`The file the run was trained from (its model ${model}), with any --set overrides noted at its end.`) +
      `<pre><code>${escapeHtml(readFileSync(specFile, "utf8"))}</code></pre>`
    : paragraph("This run holds no spec.aespec.");
  return { id: "spec", title: "The spec as trained", html };
}
