import type { IrModel } from "../ir/model.js";
import type { Layer, Shape } from "../ir/layers.js";
import type { PartialModel, PartialStack } from "../check/partial.js";
import type { Span } from "../diagnostics/span.js";
import { fmtBytes as bytes } from "../diagnostics/format.js";
import {
  count,
  describeBottleneck,
  describeCorruption,
  describeData,
  describeLayer,
  describeLoss,
  describeOptimizer,
  describeSchedule,
  shape,
} from "./describe.js";
import { isConstantRate } from "../run/lr-schedule.js";

interface Row {
  readonly part: string;
  readonly layer: string;
  /** null: the layer that failed to check. */
  readonly output: Shape | null;
  readonly parameters: number;
  readonly activationBytes: number;
}

const layerRow =
  (part: string) =>
  (l: Layer): Row => ({ part, layer: describeLayer(l), output: l.outShape, parameters: l.parameters, activationBytes: l.activationBytes });

/** The layer table of `aespec summary`: one row per op, then losses, training and totals. */
export function summaryTable(m: IrModel): string {
  const rows: Row[] = [
    ...m.encoder.map(layerRow("encoder")),
    {
      part: "bottleneck",
      layer: describeBottleneck(m.bottleneck),
      output: m.bottleneck.latentShape,
      parameters: m.bottleneck.parameters,
      activationBytes: m.bottleneck.activationBytes,
    },
    ...m.decoder.map(layerRow("decoder")),
    ...m.losses.flatMap((t) => (t.kind === "adversarial" ? t.discriminator.map(layerRow("discriminator")) : [])),
  ];
  const range = m.input.range !== null ? ` in [${m.input.range[0]}, ${m.input.range[1]}]` : "";
  const out = [`model ${m.name}: input ${shape(m.input.shape)}${range}`];
  if (m.corruption !== null) out.push(`corrupt: ${describeCorruption(m.corruption)}`);
  out.push("", ...table(rows), "");
  out.push(`loss:   ${m.losses.map(describeLoss).join(" + ")}`);
  const t = m.train;
  const data = t.data !== null ? describeData(t.data) : "(no data)";
  const schedule = isConstantRate(t.schedule) ? "" : `, schedule ${describeSchedule(t.schedule)}`;
  out.push(`train:  ${data}, ${describeOptimizer(t.optimizer)}${schedule}, batch ${t.batch}, ${t.epochs} epochs, seed ${t.seed}, init ${t.init}`);
  out.push(
    `total:  ${count(m.totals.parameters)} parameters (${bytes(m.totals.parameters * 4)} as float32)` +
      (m.totals.state > 0 ? `, ${count(m.totals.state)} state` : "") +
      `, ${bytes(m.totals.activationBytes)} of activations per example`,
  );
  return out.join("\n") + "\n";
}

function table(rows: readonly Row[]): string[] {
  const header = ["part", "layer", "output", "parameters", "activations"];
  const cells = rows.map((r) =>
    r.output === null ? [r.part, r.layer, "error (above)", "", ""] : [r.part, r.layer, shape(r.output), count(r.parameters), bytes(r.activationBytes)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((x, i) => (i >= 3 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

/**
 * The layer table of a model with errors, as far as the checker got: every
 * layer that checked, then the one that failed (its source text, marked), and
 * nothing after it; a model whose parts all checked (a final shape mismatch)
 * shows whole.
 */
export function partialSummaryTable(p: PartialModel, sourceText: (s: Span) => string): string {
  const rows: Row[] = [];
  const failedRow = (part: string, at: Span): Row => ({ part, layer: sourceText(at), output: null, parameters: 0, activationBytes: 0 });
  const stack = (part: string, s: PartialStack | null): boolean => {
    if (s === null) return false;
    rows.push(...s.layers.map(layerRow(part)));
    if (s.failed !== null) rows.push(failedRow(part, s.failed));
    return s.failed === null;
  };
  if (stack("encoder", p.encoder) && p.bottleneck !== null) {
    if ("failed" in p.bottleneck) rows.push(failedRow("bottleneck", p.bottleneck.failed));
    else {
      const b = p.bottleneck;
      rows.push({ part: "bottleneck", layer: describeBottleneck(b), output: b.latentShape, parameters: b.parameters, activationBytes: b.activationBytes });
      stack("decoder", p.decoder);
    }
  }
  const range = p.input?.range != null ? ` in [${p.input.range[0]}, ${p.input.range[1]}]` : "";
  const out = [`model ${p.name}: input ${p.input === null ? "(error)" : shape(p.input.shape)}${range} (has errors: the table goes as far as the checker got)`];
  if (rows.length > 0) out.push("", ...table(rows));
  return out.join("\n") + "\n";
}
