// The build's second step: the PyTorch runtime's Python files beside the compiled target in dist/,
// where the package writer reads them (targets/pytorch/package.ts); nothing else of the folder.
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const from = join(here, "runtime", "aespec_torch");
const to = join(here, "..", "..", "dist", "targets", "pytorch", "runtime", "aespec_torch");
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) if (name.endsWith(".py")) cpSync(join(from, name), join(to, name));
