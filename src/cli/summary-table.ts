import type { IrModel } from "../ir/model.js";
import type { Layer, Shape } from "../ir/layers.js";
import { fmtBytes as bytes } from "../check/format.js";
import {
  count,
  describeBottleneck,
  describeCorruption,
  describeData,
  describeLayer,
  describeLoss,
  describeOptimizer,
  shape,
} from "./describe.js";

interface Row {
  readonly part: string;
  readonly layer: string;
  readonly output: Shape;
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
    ...m.losses.flatMap((t) =>
      t.kind === "adversarial"
        ? t.discriminator.map(layerRow("discriminator"))
        : [],
    ),
  ];
  const header = ["part", "layer", "output", "parameters", "activations"];
  const cells = rows.map((r) => [r.part, r.layer, shape(r.output), count(r.parameters), bytes(r.activationBytes)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c.map((x, i) => (i >= 3 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ").trimEnd();

  const range = m.input.range !== null ? ` in [${m.input.range[0]}, ${m.input.range[1]}]` : "";
  const out = [`model ${m.name}: input ${shape(m.input.shape)}${range}`];
  if (m.corruption !== null) out.push(`corrupt: ${describeCorruption(m.corruption)}`);
  out.push("", line(header), ...cells.map(line), "");
  out.push(`loss:   ${m.losses.map(describeLoss).join(" + ")}`);
  const t = m.train;
  const data = t.data !== null ? describeData(t.data) : "(no data)";
  out.push(`train:  ${data}, ${describeOptimizer(t.optimizer)}, batch ${t.batch}, ${t.epochs} epochs, seed ${t.seed}`);
  out.push(
    `total:  ${count(m.totals.parameters)} parameters (${bytes(m.totals.parameters * 4)} as float32)` +
      (m.totals.state > 0 ? `, ${count(m.totals.state)} state` : "") +
      `, ${bytes(m.totals.activationBytes)} of activations per example`,
  );
  return out.join("\n") + "\n";
}
