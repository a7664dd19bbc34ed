/**
 * A small ONNX graph builder: nodes in order, float32 and int64
 * initializers, named graph inputs and outputs with a symbolic batch
 * dimension. Every attribute carries its type (the checker refuses one
 * without), and names are made unique here so handlers never clash.
 */
import { type IAttributeProto, type IDimension, type IGraphProto, type INodeProto, type ITensorProto, type IValueInfoProto, onnx } from "./proto/onnx.js";

export const BATCH_DIM = "batch";

type AttributeValue = { readonly int: number } | { readonly float: number } | { readonly ints: readonly number[] } | { readonly string: string };
export type Attributes = Readonly<Record<string, AttributeValue>>;

export const int = (v: number): AttributeValue => ({ int: v });
export const float = (v: number): AttributeValue => ({ float: v });
export const ints = (v: readonly number[]): AttributeValue => ({ ints: v });

function attribute(name: string, v: AttributeValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ("int" in v) return { name, type: T.INT, i: v.int };
  if ("float" in v) return { name, type: T.FLOAT, f: v.float };
  if ("ints" in v) return { name, type: T.INTS, ints: [...v.ints] };
  return { name, type: T.STRING, s: new TextEncoder().encode(v.string) };
}

export interface ValueInfo {
  readonly name: string;
  readonly elemType: "float32" | "int64";
  /** Without the batch dimension, which is always first and symbolic. */
  readonly shape: readonly number[];
  readonly doc: string;
}

const ELEM_TYPE = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 } as const;

function valueInfo(v: ValueInfo): IValueInfoProto {
  const dims: IDimension[] = [{ dimParam: BATCH_DIM }, ...v.shape.map((d) => ({ dimValue: d }))];
  return { name: v.name, docString: v.doc, type: { tensorType: { elemType: ELEM_TYPE[v.elemType], shape: { dim: dims } } } };
}

export class GraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name based on `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name exactly (graph inputs and outputs); throws if taken. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`internal: ONNX value name '${name}' used twice`);
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output (named from `hint` unless `output` is given); returns the output's name. */
  node(op: string, inputs: readonly string[], hint: string, attrs: Attributes = {}, output?: string): string {
    const out = output ?? this.fresh(hint);
    this.nodeMulti(op, inputs, [out], attrs);
    return out;
  }

  nodeMulti(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Attributes = {}): void {
    const name = this.fresh(`${op}_${this.nodes.length}`);
    this.nodes.push({ name, opType: op, input: [...inputs], output: [...outputs], attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
  }

  floatTensor(hint: string, dims: readonly number[], values: Float32Array): string {
    if (values.length !== dims.reduce((a, b) => a * b, 1))
      throw new Error(`internal: initializer ${hint} has ${values.length} values for [${dims.join(", ")}]`);
    const name = this.fresh(hint);
    const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    this.initializers.push({ name, dims: [...dims], dataType: ELEM_TYPE.float32, rawData: raw });
    return name;
  }

  scalar(hint: string, v: number): string {
    return this.floatTensor(hint, [], Float32Array.of(v));
  }

  int64Tensor(hint: string, values: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [values.length], dataType: ELEM_TYPE.int64, int64Data: [...values] });
    return name;
  }

  graph(name: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): IGraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: inputs.map(valueInfo), output: outputs.map(valueInfo) };
  }
}
