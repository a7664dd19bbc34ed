/**
 * The Python with torch the PyTorch target's tests run, or null (the tests skip, saying why);
 * in CI (CI=true), where .ci/run installs Debian's python3-torch, a missing one fails instead.
 */
import { findPythonTorch, type PythonTorch } from "../../../targets/pytorch/python.js";

let found: PythonTorch | null | undefined;

export function pythonTorch(): PythonTorch | null {
  if (found !== undefined) return found;
  const r = findPythonTorch();
  if ("code" in r) {
    if (process.env["CI"] === "true") throw new Error(`no Python with torch in CI (${r.message}): apt-get install -y python3-torch`);
    console.log(`skipped: ${r.message}`);
    found = null;
  } else found = r;
  return found;
}
