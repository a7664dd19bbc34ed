import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface EncodeArgs {
  readonly run: string;
  readonly data: string;
  readonly output: string;
}

/**
 * `aespec encode RUN --data FILE -o OUT.npy`: the run's encoder, exported to
 * ONNX and run in onnxruntime-node, over every example of FILE. Loaded by
 * dynamic import so the other commands start fast.
 */
export async function encodeCommand(args: EncodeArgs, io: Io): Promise<number> {
  const { encodeFile } = await import("../../../targets/onnx/encode.js");
  const { writeNpyFile } = await import("../../data/npy-write.js");
  const encoded = await encodeFile(args.run, args.data);
  if (!encoded.ok) return reportRunDiagnostic(encoded.diagnostic, args.run, io);
  const written = writeNpyFile(args.output, encoded.value.values, encoded.value.shape, { inputs: [args.data] });
  if (!written.ok) return reportRunDiagnostic(written.diagnostic, args.run, io);
  io.out(`wrote the ${encoded.value.output} codes of ${encoded.value.shape[0]} examples, shape [${encoded.value.shape.join(", ")}], to ${args.output}\n`);
  return EXIT.ok;
}
