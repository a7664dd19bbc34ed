/** The run at a glance: the model and its size, the data, every training setting as resolved (overrides applied), wall time and speed. */
import type { IrModel } from "../ir/model.js";
import type { EpochMetrics } from "../run/metrics.js";
import { escapeHtml, paragraph, type ReportSection } from "./html.js";

/** `kind(name: value, ...)` of an IR call-like object, without its span (and a file's resolved path). */
function call(o: { readonly kind: string } & object): string {
  const args = Object.entries(o).filter(([k, v]) => k !== "kind" && k !== "span" && k !== "resolvedPath" && v !== undefined && v !== null);
  return args.length === 0 ? o.kind : `${o.kind}(${args.map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`).join(", ")})`;
}

/** What trained the epochs, from their metrics lines: one line per change (a run resumed on another backend says so). */
function trainedBy(epochs: readonly EpochMetrics[]): string {
  const spans: { from: number; to: number; by: string }[] = [];
  for (const e of epochs) {
    const by = e.trainedBy === undefined ? "not recorded" : `aespec ${e.trainedBy.aespec}, ${e.trainedBy.target}: ${e.trainedBy.runtime}`;
    const last = spans.at(-1);
    if (last !== undefined && last.by === by) last.to = e.epoch;
    else spans.push({ from: e.epoch, to: e.epoch, by });
  }
  if (spans.length === 0) return "n/a";
  if (spans.length === 1) return spans[0]!.by;
  return spans.map((s) => `epoch${s.from === s.to ? ` ${s.from}` : `s ${s.from}-${s.to}`}: ${s.by}`).join("; ");
}

/** The row of the table a `--set` path changes: train settings by name, anything else the model's. */
function rowOf(path: string): string {
  const [root, setting] = path.split(".");
  if (root !== "train" || setting === undefined) return "model";
  return setting === "early_stop" ? "early stop" : setting;
}

/** `overrides`: the `--set`s the run was trained with (RUN/spec.aespec's last line); the rows they changed are marked. */
export function runSection(ir: IrModel, epochsTrained: number, epochs: readonly EpochMetrics[], overrides: readonly string[] = []): ReportSection {
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
    ["trained by", trainedBy(epochs)],
  ];
  const marked = new Map<string, string[]>();
  for (const o of overrides) {
    const row = rowOf(o.slice(0, Math.max(0, o.indexOf("="))).trim());
    marked.set(row, [...(marked.get(row) ?? []), o]);
  }
  if (overrides.length > 0) rows.push(["overrides", overrides.map((o) => `--set ${o}`).join(" ")]);
  const body = rows
    .map(([k, v]) => {
      const set = k === "overrides" ? undefined : marked.get(k);
      const mark = set === undefined ? "" : ` <span class="override" title="${escapeHtml(set.map((o) => `--set ${o}`).join(" "))}">(--set)</span>`;
      return `<tr><td>${escapeHtml(k)}</td><td class="value">${escapeHtml(v)}${mark}</td></tr>`;
    })
    .join("\n");
  return {
    id: "run",
    title: "The run",
    html: `${paragraph(`The settings as trained: the spec with its --set overrides applied (ir.json)${overrides.length > 0 ? "; what they changed is marked (--set)" : ""}.`)}\n<table><tbody>\n${body}\n</tbody></table>`,
  };
}
