/**
 * One ONNX file is one protobuf message, and protobuf caps a message at
 * 2 GiB; larger models need ONNX's external-data format, which this exporter
 * does not write. The checker allows up to 1e9 parameters (4 GB), so a model
 * can train and still not fit one file: it is refused from the IR's counts,
 * before any weight is read or copied.
 */
import { fmtBytes } from "../../src/diagnostics/format.js";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Span } from "../../src/diagnostics/span.js";
import type { Bottleneck } from "../../src/ir/bottleneck.js";
import type { IrModel } from "../../src/ir/model.js";
import { DECODER_ENTRIES, type DecoderEntry } from "./bottlenecks.js";
import type { Part } from "./part.js";

/** 2 GiB, less 16 MiB kept for the graph's nodes, names and metadata. */
export const MAX_WEIGHT_BYTES = 2 ** 31 - 2 ** 24;

interface Costed {
  readonly weights: number;
  readonly span: Span;
}

function costs(ir: IrModel, part: Part): Costed[] {
  const stack = (layers: IrModel["encoder"]) => layers.map((l) => ({ weights: l.parameters + l.state, span: l.span }));
  const entry = DECODER_ENTRIES[ir.bottleneck.kind] as DecoderEntry<Bottleneck>;
  const bottleneck = { weights: part === "decoder" ? entry.parameters(ir.bottleneck) : ir.bottleneck.parameters, span: ir.bottleneck.span };
  if (part === "encoder") return [...stack(ir.encoder), bottleneck];
  if (part === "decoder") return [bottleneck, ...stack(ir.decoder)];
  return [...stack(ir.encoder), bottleneck, ...stack(ir.decoder)];
}

/** An AE3201 at the heaviest op when the part's float32 weights cannot fit one ONNX file, else null. */
export function checkSize(ir: IrModel, part: Part): Diagnostic | null {
  const ops = costs(ir, part);
  const total = ops.reduce((n, o) => n + o.weights, 0);
  if (4 * total <= MAX_WEIGHT_BYTES) return null;
  const heaviest = ops.reduce((a, b) => (b.weights > a.weights ? b : a));
  const count = (n: number) => n.toLocaleString("en-US");
  return diag(
    "AE3201",
    `the ${part} of model '${ir.name}' has ${count(total)} weights (${fmtBytes(4 * total)} as float32), but one ONNX file holds at most 2 GiB; this layer has ${count(heaviest.weights)}`,
    heaviest.span,
    {
      hint: `protobuf caps an ONNX file at 2 GiB and this exporter writes no external data: use fewer units${part === "autoencoder" ? ", or export the encoder and the decoder as separate parts" : ""}`,
    },
  );
}
