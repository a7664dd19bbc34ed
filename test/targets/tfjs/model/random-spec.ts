/**
 * Random .aespec models for property tests: small layer stacks of every
 * kind, built while tracking the shape so that most of them check clean
 * (the tests keep only those that do).
 */
import fc from "fast-check";

type Shape = number[];
const product = (s: Shape) => s.reduce((a, b) => a * b, 1);
const ACTIVATIONS = ["relu", "leaky_relu(alpha: 0.1)", "elu", "gelu", "tanh", "sigmoid", "softplus"];

function convOut(n: number, k: number, s: number, p: string): number {
  return p === "same" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

function deconvOut(n: number, k: number, s: number, p: string): number {
  return p === "same" ? n * s : n * s + Math.max(k - s, 0);
}

/** One layer call that fits `shape`, and the shape after it. */
function layer(g: fc.GeneratorValue, shape: Shape): [string, Shape] {
  const map = shape.length === 3;
  const choices = map
    ? ["conv", "conv", "deconv", "deconv", "flatten", "dense", "norm", "dropout", "activation", "reshape"]
    : ["dense", "dense", "norm", "dropout", "activation", "reshape"];
  const pick = g(fc.constantFrom, ...choices);
  switch (pick) {
    case "conv":
    case "deconv": {
      const f = g(fc.integer, { min: 1, max: 4 });
      const k = g(fc.integer, { min: 1, max: 4 });
      const s = g(fc.integer, { min: 1, max: 3 });
      const p = g(fc.constantFrom, "same", "valid");
      const size = pick === "conv" ? convOut : deconvOut;
      const out = [size(shape[0]!, k, s, p), size(shape[1]!, k, s, p), f];
      return [`${pick}(${f}, kernel: ${k}, stride: ${s}, padding: ${p})`, out];
    }
    case "flatten":
      return ["flatten", [product(shape)]];
    case "dense": {
      const u = g(fc.integer, { min: 1, max: 8 });
      return [`dense(${u})`, [...shape.slice(0, -1), u]];
    }
    case "norm":
      return g(fc.boolean) ? ["batchnorm(momentum: 0.9)", shape] : ["layernorm", shape];
    case "dropout":
      return [`dropout(${g(fc.constantFrom, 0, 0.25, 0.5)})`, shape];
    case "activation":
      return [g(fc.constantFrom, ...ACTIVATIONS), shape];
    default: {
      // reshape: a vector to a map when its size factors, a map to a vector.
      const n = product(shape);
      if (map) return [`reshape([${n}])`, [n]];
      const h = [2, 3, 1].find((d) => n % d === 0)!;
      return [`reshape([${h}, ${n / h}, 1])`, [h, n / h, 1]];
    }
  }
}

function stack(g: fc.GeneratorValue, from: Shape, max: number): [string[], Shape] {
  const calls: string[] = [];
  let shape = from;
  const n = g(fc.integer, { min: 0, max });
  for (let i = 0; i < n; i++) {
    const [call, next] = layer(g, shape);
    // Keep tensors small (the tests run on the slow cpu backend).
    if (next.some((d) => d < 1) || product(next) > 400) continue;
    calls.push(call);
    shape = next;
  }
  return [calls, shape];
}

export const randomSpec: fc.Arbitrary<string> = fc.gen().map((g) => {
  const input: Shape = g(fc.boolean)
    ? [g(fc.integer, { min: 2, max: 12 })]
    : [g(fc.integer, { min: 2, max: 7 }), g(fc.integer, { min: 2, max: 7 }), g(fc.integer, { min: 1, max: 3 })];
  const [encoder, encoded] = stack(g, input, 5);
  const kind = g(fc.constantFrom, "deterministic", "gaussian", "vq", "vq_ema");
  const units = g(fc.integer, { min: 1, max: 4 });
  const bottleneck =
    kind === "vq"
      ? `vq(codes: ${units + 2}, dim: ${units}, restart: true)`
      : kind === "vq_ema"
        ? `vq(codes: ${units + 2}, dim: ${units}, ema: 0.9)`
        : `${kind}(${units})`;
  // The bottleneck maps the last axis (a map stays a map); the decoder's own layers, then back to the input's shape.
  const [decoder, out] = stack(g, [...encoded.slice(0, -1), units], 4);
  const tail = [...(out.length === 3 ? ["flatten"] : []), `dense(${product(input)})`, ...(input.length === 3 ? [`reshape([${input.join(", ")}])`] : [])];
  const loss = kind === "gaussian" ? "reconstruction(mse) kl()" : kind.startsWith("vq") ? "reconstruction(mse) commitment()" : "reconstruction(mse)";
  return `model random {
  input: [${input.join(", ")}]
  encoder { ${encoder.join(" ")} }
  bottleneck: ${bottleneck}
  decoder { ${[...decoder, ...tail].join(" ")} }
  loss { ${loss} }
}`;
});
