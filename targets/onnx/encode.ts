/**
 * The latent codes of a data file: the run's encoder exported to ONNX and run
 * in onnxruntime-node on the CPU, in batches.
 */
import type { InferenceSession } from "onnxruntime-node";
import { diag } from "../../src/diagnostics/diagnostic.js";
import { elementsPerExample } from "../../src/data/dataset.js";
import { formatFromPath, readHeader, type FileFormat } from "../../src/data/header.js";
import { readDataFile } from "../../src/data/read-file.js";
import { fail, ok, type Result } from "../../src/data/result.js";
import type { BottleneckKind } from "../../src/ir/bottleneck.js";
import type { IrModel } from "../../src/ir/model.js";
import { exportRead } from "./export-run.js";
import { readRunWeights } from "./run-weights.js";
import { int32Indices, loadOnnxRuntime, type OnnxRuntime } from "./runtime.js";

export const DEFAULT_ENCODE_BATCH = 1024;

/**
 * The encoder output written as the code of each bottleneck: a Gaussian's
 * mean (no sampling), a VQ's quantized vectors, a ladder's bottom-level
 * posterior mean (z_0 = mu_0, what its decoder reads). Null: not exportable.
 */
export const CODE_OUTPUT: { readonly [K in BottleneckKind]: string | null } = {
  deterministic: "latent",
  gaussian: "mean",
  vq: "quantized",
  ladder: "level0_mean",
};

export interface Encoded {
  /** count x product(shape without the count), row-major: float32 codes, or int32 code indices. */
  readonly values: Float32Array | Int32Array;
  /** [count, ...latentShape], or [count, ...latentShape without its last axis] for indices. */
  readonly shape: readonly number[];
  /** The encoder output the values are. */
  readonly output: string;
}

/** With `indices`: a VQ bottleneck's code indices, refused (AE3207, at the bottleneck) for any other. */
export function indicesRefusal(ir: IrModel): Result<void> {
  if (ir.bottleneck.kind === "vq") return ok(undefined);
  return fail(
    diag("AE3207", `model '${ir.name}' has a ${ir.bottleneck.kind} bottleneck: only a vq bottleneck's encoder outputs code indices`, ir.bottleneck.span, {
      hint: "leave out --indices to write its codes",
    }),
  );
}

/** Encodes every example of `dataFile` (NPY, IDX or CSV) with the encoder of the run in `runDir`: its codes, or with `indices` a VQ's code indices. */
export async function encodeFile(
  runDir: string,
  dataFile: string,
  opts: { readonly indices?: boolean; readonly batch?: number } = {},
): Promise<Result<Encoded>> {
  const batch = opts.batch ?? DEFAULT_ENCODE_BATCH;
  const run = readRunWeights(runDir);
  if (!run.ok) return run;
  const bytes = exportRead(run.value, runDir, "encoder");
  if (!bytes.ok) return bytes;
  const ir = run.value.ir;
  if (opts.indices === true) {
    const refused = indicesRefusal(ir);
    if (!refused.ok) return refused;
  }
  const output = opts.indices === true ? "indices" : CODE_OUTPUT[ir.bottleneck.kind];
  if (output === null) throw new Error(`internal: the ${ir.bottleneck.kind} bottleneck was exported`);
  const format = checkDataFits(ir, dataFile);
  if (!format.ok) return format;
  const data = readDataFile(dataFile, format.value);
  if (!data.ok) return data;
  const ort = await loadOnnxRuntime("aespec encode");
  if (!ort.ok) return ort;
  const session = await ort.value.InferenceSession.create(bytes.value, { executionProviders: ["cpu"] });
  try {
    const shape = opts.indices === true ? ir.bottleneck.latentShape.slice(0, -1) : ir.bottleneck.latentShape;
    const values = await runEncoder(ort.value, session, data.value.x, ir.input.shape, shape, output, batch);
    return ok({ values, shape: [data.value.count, ...shape], output });
  } finally {
    await session.release();
  }
}

/**
 * The data file's format, once its header shows examples of the model's
 * input shape: a file of the wrong shape is refused before it is loaded, with
 * an error at the spec's input declaration.
 */
export function checkDataFits(ir: IrModel, dataFile: string): Result<FileFormat> {
  const format = formatFromPath(dataFile);
  const at = { file: dataFile, start: 0, end: 0 };
  if (format === null) {
    return fail(
      diag("AE3001", `cannot tell the format of '${dataFile}' from its name`, at, { hint: "name it .npy, .csv or .idx (MNIST's -idx3-ubyte, optionally .gz)" }),
    );
  }
  const header = readHeader(dataFile, format);
  if (!header.ok) return header;
  const { shape, count } = header.value;
  const fits = shape.length === ir.input.shape.length && shape.every((d, i) => d === ir.input.shape[i]);
  if (!fits) {
    return fail(
      diag(
        "AE3204",
        `the examples of '${dataFile}' have shape [${shape.join(", ")}], but model '${ir.name}' reads [${ir.input.shape.join(", ")}]`,
        ir.input.span,
        {
          related: [{ message: `the data file holds ${count} examples of shape [${shape.join(", ")}]`, span: at }],
          hint: "encode data of the shape the model was trained on",
        },
      ),
    );
  }
  return ok(format);
}

/** Runs an exported encoder's session over `x` (count x product(inputShape)) batch by batch; returns its output `output` for all examples. */
export async function runEncoder(
  ort: OnnxRuntime,
  session: InferenceSession,
  x: Float32Array,
  inputShape: readonly number[],
  latentShape: readonly number[],
  output: string,
  batch: number,
): Promise<Float32Array | Int32Array> {
  const perIn = elementsPerExample(inputShape);
  const perOut = elementsPerExample(latentShape);
  const count = x.length / perIn;
  let out: Float32Array | Int32Array | null = null;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const input = new ort.Tensor("float32", x.subarray(start * perIn, (start + n) * perIn), [n, ...inputShape]);
    const result = await session.run({ input });
    const codes = result[output];
    if (codes === undefined || codes.data.length !== n * perOut) throw new Error(`internal: the encoder's '${output}' output is missing or of the wrong size`);
    if (codes.data instanceof BigInt64Array) {
      out ??= new Int32Array(count * perOut);
      out.set(int32Indices(codes.data), start * perOut);
    } else {
      out ??= new Float32Array(count * perOut);
      out.set(codes.data as Float32Array, start * perOut);
    }
    for (const t of Object.values(result)) t.dispose();
  }
  return out ?? new Float32Array(0);
}
