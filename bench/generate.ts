/** Synthetic inputs for the benchmarks: whole models, every section used, until at least `lines` lines. */
export function generateSpec(lines: number): string {
  const out: string[] = ["let width = 256", ""];
  for (let i = 0; out.length < lines; i++) {
    const k = 4 + (i % 28);
    out.push(
      `model m${i} {`,
      `  input: [28, 28, 1] in [0, 1]`,
      `  encoder {`,
      `    flatten`,
      `    dense(width * 2) relu`,
      `    dense(width / 2) relu`,
      `  }`,
      `  bottleneck: gaussian(${k})`,
      `  decoder { dense(width / 2) relu  dense(784) sigmoid  reshape([28, 28, 1]) }`,
      `  loss { reconstruction(bernoulli)  kl(beta: 1, warmup: ${i % 10}) }`,
      `  train { data: mnist  optimizer: adam(lr: 1e-3)  batch: 128  epochs: 20  seed: ${i} }`,
      `}`,
      ``,
    );
  }
  return out.join("\n") + "\n";
}

/** The same content as TypeScript object literals, for the peer parser. */
export function generateTypeScript(lines: number): string {
  const out: string[] = ["const width = 256;", ""];
  for (let i = 0; out.length < lines; i++) {
    const k = 4 + (i % 28);
    out.push(
      `export const m${i} = {`,
      `  input: { shape: [28, 28, 1], range: [0, 1] },`,
      `  encoder: [`,
      `    flatten(),`,
      `    dense(width * 2), relu(),`,
      `    dense(width / 2), relu(),`,
      `  ],`,
      `  bottleneck: gaussian(${k}),`,
      `  decoder: [dense(width / 2), relu(), dense(784), sigmoid(), reshape([28, 28, 1])],`,
      `  loss: [reconstruction("bernoulli"), kl({ beta: 1, warmup: ${i % 10} })],`,
      `  train: { data: mnist(), optimizer: adam({ lr: 1e-3 }), batch: 128, epochs: 20, seed: ${i} },`,
      `};`,
      ``,
    );
  }
  return out.join("\n") + "\n";
}
