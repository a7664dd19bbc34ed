/**
 * The generated protobuf module (onnx-pb.ts, compiled unchecked) with the
 * types pbts declared for it (onnx-types.d.ts).
 */
import $protobuf from "protobufjs/minimal.js";
import { onnx as generated } from "./onnx-pb.js";
import type { onnx as Types } from "./onnx-types.js";

// Decode int64 as plain numbers, as the --force-number types say (protobufjs
// otherwise returns Long objects whenever the long package is installed).
// This configures the protobufjs runtime of this process; onnx-proto and other
// readers with their own protobufjs copy are unaffected.
$protobuf.util.Long = undefined as never;
$protobuf.configure();

export const onnx = generated as unknown as typeof Types;

export type IModelProto = Types.IModelProto;
export type IGraphProto = Types.IGraphProto;
export type INodeProto = Types.INodeProto;
export type IAttributeProto = Types.IAttributeProto;
export type ITensorProto = Types.ITensorProto;
export type IValueInfoProto = Types.IValueInfoProto;
export type IDimension = Types.TensorShapeProto.IDimension;
