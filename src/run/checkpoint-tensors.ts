/**
 * A checkpoint against its IR: it must hold exactly the tensors of the IR's
 * parameter table (src/ir/parameters.ts), each float32 in the table's shape.
 * Every reader of a run's weights asks this before it maps them (the ONNX
 * exporter; the tfjs target restores into variables built from the same table).
 */
import type { IrModel } from "../ir/model.js";
import { checkpointTensors } from "../ir/parameters.js";
import type { SavedTensor } from "./checkpoint.js";

/** null when `saved` is exactly the IR's tensors; else a sentence (to follow "does not fit its model: "). */
export function tensorsMismatch(ir: IrModel, saved: readonly SavedTensor[]): string | null {
  const byName = new Map(saved.map((t) => [t.name, t]));
  const table = checkpointTensors(ir);
  for (const p of table) {
    const t = byName.get(p.name);
    if (t === undefined) return `it holds no weight '${p.name}'`;
    if (t.dtype !== "float32") return `its weight '${p.name}' is ${t.dtype}, the model's is float32`;
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      return `its weight '${p.name}' is [${t.shape.join(", ")}], the model's is [${p.shape.join(", ")}]`;
    }
  }
  if (byName.size !== table.length) {
    const known = new Set(table.map((p) => p.name));
    const extra = [...byName.keys()].find((n) => !known.has(n));
    return `it holds ${byName.size} tensors, the model has ${table.length}${extra === undefined ? "" : ` (it has no '${extra}')`}`;
  }
  return null;
}
