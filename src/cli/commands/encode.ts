import type { Target } from "../../target/target.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface EncodeArgs {
  readonly run: string;
  readonly data: string;
  readonly output: string;
  /** A VQ's code indices (int32) instead of its quantized vectors. */
  readonly indices?: boolean;
}

/**
 * `aespec encode RUN --data FILE -o OUT.npy`: the latent codes of every
 * example of FILE, computed by the target (for onnx: the run's encoder,
 * exported and run in onnxruntime-node, loaded when this runs).
 */
export async function encodeCommand(args: EncodeArgs, target: Target, io: Io): Promise<number> {
  const encode = target.encode;
  if (encode === undefined) throw new Error(`internal: target '${target.name}' does not encode`);
  const r = await encode(args.run, args.data, args.output, { indices: args.indices === true });
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  io.out(
    `wrote the ${r.value.output === "indices" ? "code indices (int32)" : `${r.value.output} codes`} of ${r.value.shape[0]} examples, shape [${r.value.shape.join(", ")}], to ${args.output}\n`,
  );
  return EXIT.ok;
}
