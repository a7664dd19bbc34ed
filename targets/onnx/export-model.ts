/**
 * An IR model and its weights to an ONNX model (IR version 8, opset 17):
 * the encoder, the decoder, or the whole autoencoder, with a symbolic batch
 * dimension, named and documented inputs and outputs, and the spec's name
 * and IR hash as metadata.
 */
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Bottleneck } from "../../src/ir/bottleneck.js";
import type { IrModel } from "../../src/ir/model.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import { BOTTLENECK_HANDLERS, type BottleneckHandler, DECODER_ENTRIES, type DecoderEntry, type NamedValue } from "./bottlenecks.js";
import { GraphBuilder, type ValueInfo } from "./graph.js";
import { lowerStack } from "./layers.js";
import { type IModelProto, onnx } from "./proto/onnx.js";
import type { Part } from "./part.js";
import { checkSize } from "./size-limit.js";
import type { Weights } from "./weights.js";

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const PRODUCER = "aespec";

export { PARTS, type Part } from "./part.js";

/** What keeps `part` of `ir` from export (AE3201): a bottleneck with no lowering, or weights over ONNX's size limit; null when nothing does. */
export function unexportable(ir: IrModel, part: Part): Diagnostic | null {
  if (BOTTLENECK_HANDLERS[ir.bottleneck.kind] === null) {
    return diag("AE3201", `the ONNX exporter cannot express the ${ir.bottleneck.kind} bottleneck of model '${ir.name}' yet`, ir.bottleneck.span, {
      hint: "this exporter has no lowering for that bottleneck kind",
    });
  }
  return checkSize(ir, part);
}

/**
 * The serialised ModelProto, or an AE3201 error located at what ONNX cannot
 * express. The decoder part reads what DECODER_ENTRIES says (a ladder's top
 * level, else the latent the decoder stack reads).
 */
export function exportModel(ir: IrModel, weights: Weights, part: Part): Result<Uint8Array> {
  const refused = unexportable(ir, part);
  if (refused !== null) return fail(refused);
  const handler = BOTTLENECK_HANDLERS[ir.bottleneck.kind] as BottleneckHandler<Bottleneck>;
  if (handler === null) throw new Error("internal: unexportable let a bottleneck without lowering through");
  const g = new GraphBuilder();
  const inputs: ValueInfo[] = [];
  const outputs: NamedValue[] = [];
  if (part === "decoder") {
    const entry = DECODER_ENTRIES[ir.bottleneck.kind] as DecoderEntry<Bottleneck>;
    const latent = g.reserve("latent");
    inputs.push({ name: latent, elemType: "float32", shape: entry.shape(ir.bottleneck), doc: entry.doc });
    outputs.push(reconstruction(ir, lowerStack(ir.decoder, entry.lower(ir.bottleneck, latent, g, weights), "decoder", g, weights)));
  } else {
    const input = g.reserve("input");
    inputs.push({ name: input, elemType: "float32", shape: ir.input.shape, doc: "a batch of examples, channels-last" });
    const b = handler(ir.bottleneck, lowerStack(ir.encoder, input, "encoder", g, weights), g, weights);
    if (part === "encoder") outputs.push(...b.outputs);
    else outputs.push(reconstruction(ir, lowerStack(ir.decoder, b.latent, "decoder", g, weights)));
  }
  // Graph outputs under stable names: an Identity from the value that holds each.
  const outInfos = outputs.map((o) => {
    g.node("Identity", [o.value], o.name, {}, g.reserve(o.name));
    return { name: o.name, elemType: o.elemType, shape: o.shape, doc: o.doc };
  });
  const model: IModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: PRODUCER,
    docString: `${part} of model '${ir.name}'`,
    graph: g.graph(`${ir.name}_${part}`, inputs, outInfos),
    metadataProps: [
      { key: "spec", value: ir.name },
      { key: "ir_hash", value: ir.hash },
      { key: "part", value: part },
    ],
  };
  return ok(onnx.ModelProto.encode(model).finish());
}

function reconstruction(ir: IrModel, value: string): NamedValue {
  const shape = ir.decoder.length > 0 ? ir.decoder[ir.decoder.length - 1]!.outShape : ir.bottleneck.latentShape;
  return { value, name: "reconstruction", elemType: "float32", shape, doc: "the decoder's output" };
}
