/** An example or two for each command's --help, run from the repository's folder (specs/ is there). */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  check: ["aespec check specs/*.aespec", "aespec check specs/vae.aespec --set loss.kl.beta=4 --format json", "aespec check specs/ --target onnx"],
  summary: ["aespec summary specs/vae.aespec --model vae", "aespec summary specs/deep.aespec --model masked --set 'bottleneck=gaussian(32)'"],
  fmt: ["aespec fmt specs/vae.aespec", "aespec fmt --check specs/*.aespec"],
  compile: ["aespec compile specs/linear.aespec", "aespec compile specs/vae.aespec --model vae -o vae.ir.json"],
  train: [
    "aespec train specs/vae.aespec --model vae --set train.epochs=2 --out runs/vae",
    "aespec train specs/vae.aespec --model vae --set 'train.data=mnist(count: 1000)' --set train.epochs=1   # a quick run",
    "aespec train specs/vae.aespec --model vae --out runs/vae --resume",
  ],
  eval: ["aespec eval runs/vae", "aespec eval runs/vae --json --iwae-k 500 --limit 1000", "aespec eval runs/vae --anomaly-class 9 --anomaly-data mnist"],
  report: [
    "aespec report runs/vae --limit 1000   # then open runs/vae/report.html",
    "aespec report runs/beta1 runs/beta4 -o compare.html   # two runs side by side",
  ],
  export: ["aespec export runs/vae --part encoder -o vae-encoder.onnx", "aespec export runs/vae --part autoencoder -o vae.onnx"],
  encode: ["aespec encode runs/vae --data digits.npy -o codes.npy"],
  data: ["aespec data specs/vae.aespec --model beta_vae -o data/sprites"],
  targets: ["aespec targets"],
  sweep: ["aespec sweep specs/vae.aespec --model vae --set loss.kl.beta=1,4,16 --seeds 3 --jobs 2 --eval --out sweeps/beta -- --set train.epochs=5"],
  compare: [
    "aespec compare sweeps/beta -o beta.html --metric kl --metric active_units   # KL and active units against beta",
    "aespec compare sweeps/beta --json > beta.json",
    "aespec compare runs/beta1 runs/beta4 -o compare.html   # two runs side by side",
  ],
  lsp: ["aespec lsp --stdio   # started by an editor's LSP client (editors/vscode does)"],
};

/** The text commander prints after a command's options. */
export function examplesText(command: string): string {
  const lines = EXAMPLES[command] ?? [];
  return lines.length === 0 ? "" : `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
