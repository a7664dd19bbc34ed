/**
 * Why a path given as a run directory is not one, in words a user can act
 * on: a spec file given where a run belongs says to train it first.
 */
import { statSync } from "node:fs";

/** null when `path` is a folder; else a sentence (to follow "cannot ... 'PATH': "). */
export function notAFolder(path: string): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return "there is no such folder";
  if (st.isDirectory()) return null;
  if (path.endsWith(".aespec")) return `it is a spec, not a run directory: train it first (\`aespec train ${path} --out runs/NAME\`), then give runs/NAME`;
  return "it is a file, not a run directory (the folder `aespec train --out` wrote)";
}
