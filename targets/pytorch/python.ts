/**
 * Finding a Python with torch and numpy: $AESPEC_PYTHON when set, else python3 and python on the PATH,
 * else Debian's /usr/bin/python3 (where python3-torch installs). A missing one is a diagnostic with the install command.
 */
import { spawnSync } from "node:child_process";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";

export interface PythonTorch {
  readonly python: string;
  readonly executable: string;
  readonly torch: string;
  readonly cuda: boolean;
}

const PROBE = "import sys, numpy, torch; print(torch.__version__); print(sys.executable); print(int(torch.cuda.is_available()))";
const MIN_TORCH = [1, 13];

function candidates(): string[] {
  const env = process.env["AESPEC_PYTHON"];
  if (env !== undefined && env !== "") return [env];
  return ["python3", "python", "/usr/bin/python3"];
}

function atLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.+a-z]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    if (v !== min[i]) return v > min[i]!;
  }
  return true;
}

export function findPythonTorch(): PythonTorch | Diagnostic {
  const tried: string[] = [];
  for (const python of candidates()) {
    const r = spawnSync(python, ["-c", PROBE], { encoding: "utf8", timeout: 120_000 });
    if (r.error !== undefined) {
      tried.push(`${python}: not found`);
      continue;
    }
    if (r.status !== 0) {
      const last = (r.stderr ?? "").trim().split("\n").pop() ?? "";
      tried.push(`${python}: ${last}`);
      continue;
    }
    const [torch = "", executable = python, cuda = "0"] = r.stdout.trim().split("\n");
    if (!atLeast(torch, MIN_TORCH)) {
      tried.push(`${python}: torch ${torch} is older than ${MIN_TORCH.join(".")}`);
      continue;
    }
    return { python, executable, torch, cuda: cuda === "1" };
  }
  return diag(
    "AE3113",
    `the PyTorch target needs Python 3 with torch >= ${MIN_TORCH.join(".")} and numpy; none was found (${tried.join("; ")})`,
    { file: "<python>", start: 0, end: 0 },
    {
      hint: "install them (Debian: apt-get install python3-torch python3-numpy; elsewhere: pip install torch numpy), or name a Python that has them in AESPEC_PYTHON",
    },
  );
}
