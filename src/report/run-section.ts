/** The run at a glance: the model and its size, the data, every training setting as resolved (overrides applied), wall time and speed. */
import type { IrModel } from "../ir/model.js";
import type { EpochMetrics } from "../run/metrics.js";
import { escapeHtml, paragraph, type ReportSection } from "./html.js";

/** `kind(name: value, ...)` of an IR call-like object, without its span (and a file's resolved path). */
function call(o: { readonly kind: string } & object): string {
  const args = Object.entries(o).filter(([k, v]) => k !== "kind" && k !== "span" && k !== "resolvedPath" && v !== undefined && v !== null);
  return args.length === 0 ? o.kind : `${o.kind}(${args.map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`).join(", ")})`;
}

export function runSection(ir: IrModel, epochsTrained: number, epochs: readonly EpochMetrics[]): ReportSection {
  const t = ir.train;
  const seconds = epochs.reduce((s, e) => s + e.seconds, 0);
  const rate = epochs.length === 0 ? null : epochs.reduce((s, e) => s + e.examplesPerSecond, 0) / epochs.length;
  const rows: [string, string][] = [
    ["model", `${ir.name}: ${ir.bottleneck.kind} bottleneck, ${ir.totals.parameters.toLocaleString("en-US")} parameters`],
    ["data", t.data === null ? "none" : call(t.data)],
    ["optimizer", call(t.optimizer)],
    ["schedule", call(t.schedule)],
    ["init", t.init],
    ["batch", String(t.batch)],
    ["epochs", `${epochsTrained} trained of ${t.epochs}`],
    ["validation", String(t.validation)],
    ["early stop", t.earlyStop === null ? "off" : `patience ${t.earlyStop}`],
    ["seed", String(t.seed)],
    ["wall time", epochs.length === 0 ? "n/a" : `${seconds.toFixed(1)} s over the ${epochs.length} logged epochs`],
    ["examples/s", rate === null ? "n/a" : String(Math.round(rate))],
  ];
  const body = rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="value">${escapeHtml(v)}</td></tr>`).join("\n");
  return {
    id: "run",
    title: "The run",
    html: `${paragraph("The settings as trained: the spec with its --set overrides applied (ir.json).")}\n<table><tbody>\n${body}\n</tbody></table>`,
  };
}
