/** The evaluated examples' codes: the two most informative units (unit-order.ts) against each other. */
import { codeScatter } from "./code-scatter.js";
import { paragraph, type ReportSection } from "./html.js";
import type { ReportInputs } from "./report-inputs.js";
import type { UnitOrder } from "./unit-order.js";

export async function codesSection(r: ReportInputs, order: UnitOrder): Promise<ReportSection> {
  const section = (html: string): ReportSection => ({ id: "codes", title: "Codes", html });
  const [a, b] = order.units;
  if (a === undefined || b === undefined) return section(paragraph("The code has a single unit: there is no pair of units to plot."));
  const level = r.ir.bottleneck.kind === "ladder" ? "top-level posterior means" : r.ir.bottleneck.kind === "gaussian" ? "posterior means" : "codes";
  const by = order.by === "kl" ? "KL" : "variance";
  const coloured = r.examples.labels !== null ? ", coloured by class" : "";
  const svg = await codeScatter(
    { codes: r.codes, count: r.examples.count, width: r.io.codeWidth, labels: r.examples.labels, units: [a, b] },
    `${level} of the first ${r.examples.count} evaluated examples: the two units with the largest ${by}${coloured}`,
  );
  return section(`<div class="figures">${svg}</div>`);
}
