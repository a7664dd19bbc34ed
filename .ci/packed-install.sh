#!/usr/bin/env bash
# The published package as a user installs it: `npm pack` here, then a plain
# `npm install` of the tarball into an empty folder (only the npm registry is
# reachable), then the installed command checks the zoo it ships, trains one
# epoch, and asks for the optional onnxruntime-node where encode needs it.
# Usage: bash .ci/packed-install.sh EMPTY_FOLDER (created; run from the repository).
set -euo pipefail
repo="$(pwd)"
user="$1"
mkdir -p "$user"
tarball="$(npm pack --silent --pack-destination "$user" | tail -n 1)"
cd "$user"
npm init -y >/dev/null
npm install --no-audit --no-fund "./$tarball"
echo "installed: $(du -sm node_modules | cut -f1) MB in node_modules"
test ! -e node_modules/onnxruntime-node || { echo "onnxruntime-node was installed: it must stay optional" >&2; exit 1; }
for f in LICENSE docs/language.md specs/vae.aespec grammar/aespec.ebnf; do
  test -f "node_modules/aespec/$f" || { echo "the package lacks $f" >&2; exit 1; }
done
test ! -e node_modules/aespec/dist/bench || { echo "the package ships bench/" >&2; exit 1; }
npx aespec check node_modules/aespec/specs/*.aespec
cp node_modules/aespec/specs/linear.aespec .
npx aespec train linear.aespec --set train.epochs=1 --out runs/linear
npx aespec export runs/linear --part encoder -o encoder.onnx
test -s encoder.onnx
# The PyTorch target from the installed package: its runtime ships in dist/ (the build copies it); trains where Python has torch.
npx aespec compile linear.aespec --emit pytorch -o linear-torch
test -f linear-torch/aespec_torch/trainer.py || { echo "the PyTorch package lacks its runtime" >&2; exit 1; }
if /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  npx aespec train linear.aespec --target pytorch --device cpu --set train.epochs=1 --out runs/linear-torch
  npx aespec eval runs/linear-torch > /dev/null
fi
node -e 'console.log(Array(64).fill(0.5).join(","))' > x.csv
status=0
npx aespec encode runs/linear --data x.csv -o codes.npy 2> encode.err || status=$?
if [ "$status" != 1 ] || ! grep -q "AE3206" encode.err; then
  echo "encode without onnxruntime-node: expected AE3206 and exit 1, got exit $status:" >&2
  cat encode.err >&2
  exit 1
fi
# The command the hint gives installs it without a download from outside the registry; then encode runs.
hint="$(grep -o 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@[0-9.]*' encode.err | head -n 1)"
test -n "$hint" || { echo "AE3206 gives no install command" >&2; exit 1; }
env ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund "${hint#ONNXRUNTIME_NODE_INSTALL=skip npm install }"
npx aespec encode runs/linear --data x.csv -o codes.npy
test -s codes.npy
echo "packed install: ok (check, train, export, the PyTorch target; encode asks for onnxruntime-node, then runs with it)"
cd "$repo"
