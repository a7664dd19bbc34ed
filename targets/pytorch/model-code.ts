/**
 * The generated model.py of a package: the IR's model as explicit constructor
 * calls of the runtime's modules (runtime/aespec_torch), one line per layer with
 * its shapes, the initial weights' limits computed here from the IR's init
 * scheme (src/ir/init.ts), and the loss terms as data. One entry per IR kind,
 * so a new kind is a type error here.
 */
import type { Bottleneck, BottleneckKind } from "../../src/ir/bottleneck.js";
import { codebookLimit, convFans, deconvFans, denseFans, initLimits, layerInitFor, linearInit, type Fans, type LayerInit } from "../../src/ir/init.js";
import type { Layer, LayerKind, Shape } from "../../src/ir/layers.js";
import type { LossTerm } from "../../src/ir/losses.js";
import type { IrModel } from "../../src/ir/model.js";
import { layerPrefix, type StackName } from "../../src/ir/parameters.js";
import type { InitScheme } from "../../src/ir/train.js";
import { py, pyTuple } from "./python-literal.js";

const last = (s: Shape) => s[s.length - 1]!;
const limits = (init: LayerInit, fans: Fans) => {
  const l = initLimits(init, fans);
  return [l.kernel, l.bias] as const;
};
const shape = (s: Shape) => `[${s.join(", ")}]`;

interface Code {
  /** The runtime class the line constructs (imported from aespec_torch.layers). */
  readonly cls: string;
  readonly args: string;
}

type LayerCode<L extends Layer> = (layer: L, init: LayerInit) => Code;

const LAYER_CODE: { readonly [K in LayerKind]: LayerCode<Extract<Layer, { kind: K }>> } = {
  dense: (l, init) => ({ cls: "Dense", args: [last(l.inShape), l.units, ...limits(init, denseFans(last(l.inShape), l.units))].map(py).join(", ") }),
  conv: (l, init) => ({
    cls: "Conv",
    args: [
      py(last(l.inShape)),
      py(l.filters),
      py(l.kernel),
      py(l.stride),
      py(l.padding),
      pyTuple(l.inShape.slice(0, 2)),
      ...limits(init, convFans(l)).map(py),
    ].join(", "),
  }),
  deconv: (l, init) => ({
    cls: "Deconv",
    args: [
      py(last(l.inShape)),
      py(l.filters),
      py(l.kernel),
      py(l.stride),
      py(l.padding),
      pyTuple(l.inShape.slice(0, 2)),
      pyTuple(l.outShape.slice(0, 2)),
      ...limits(init, deconvFans(l)).map(py),
    ].join(", "),
  }),
  flatten: () => ({ cls: "Flatten", args: "" }),
  reshape: (l) => ({ cls: "Reshape", args: pyTuple(l.target) }),
  dropout: (l) => ({ cls: "Dropout", args: py(l.rate) }),
  batchnorm: (l) => ({ cls: "BatchNorm", args: [last(l.inShape), l.epsilon, l.momentum].map(py).join(", ") }),
  layernorm: (l) => ({ cls: "LayerNorm", args: [last(l.inShape), l.epsilon].map(py).join(", ") }),
  activation: (l) => ({ cls: "Activation", args: l.fn === "leaky_relu" ? `${py(l.fn)}, ${py(l.alpha)}` : py(l.fn) }),
};

type BottleneckCode<B extends Bottleneck> = (b: B, scheme: InitScheme) => Code | null;

const BOTTLENECK_CODE: { readonly [K in BottleneckKind]: BottleneckCode<Extract<Bottleneck, { kind: K }>> } = {
  deterministic: (b, scheme) => ({
    cls: "Deterministic",
    args: `${py(last(b.inShape))}, ${py(b.units)}, ${pyTuple(limits(linearInit(scheme), denseFans(last(b.inShape), b.units)))}`,
  }),
  gaussian: (b, scheme) => ({
    cls: "Gaussian",
    args: `${py(last(b.inShape))}, ${py(b.units)}, ${pyTuple(limits(linearInit(scheme), denseFans(last(b.inShape), b.units)))}`,
  }),
  vq: (b, scheme) => ({
    cls: "VectorQuantizer",
    args: [
      py(last(b.inShape)),
      py(b.codes),
      py(b.dim),
      py(b.ema),
      py(b.restart),
      pyTuple(limits(linearInit(scheme), denseFans(last(b.inShape), b.dim))),
      py(codebookLimit(b.dim)),
    ].join(", "),
  }),
  ladder: () => null,
};

function stackLines(layers: readonly Layer[], stack: StackName, scheme: InitScheme, used: Set<string>): string[] {
  return layers.map((l, i) => {
    const code = (LAYER_CODE[l.kind] as LayerCode<Layer>)(l, layerInitFor(scheme, layers, i));
    used.add(code.cls);
    return `        ${code.cls}(${code.args}),  # ${layerPrefix(stack, i)} ${l.kind}: ${shape(l.inShape)} -> ${shape(l.outShape)}`;
  });
}

/** A loss term as the runtime reads it: the IR's fields without spans; commitment says whether the codebook learns by gradient. */
function termData(t: LossTerm, ir: IrModel): Record<string, unknown> {
  const { span: _span, ...rest } = t as LossTerm & { span: unknown };
  if (t.kind === "commitment") return { ...rest, learnCodebook: ir.bottleneck.kind === "vq" && ir.bottleneck.ema === null };
  return rest;
}

function corruptionData(ir: IrModel): Record<string, unknown> | null {
  if (ir.corruption === null) return null;
  const { span: _span, ...rest } = ir.corruption as typeof ir.corruption & { span: unknown };
  return rest;
}

/** The text of model.py; throws for what unsupportedByPytorch refuses (call that first). */
export function modelCode(ir: IrModel): string {
  const scheme = ir.train.init;
  const used = new Set<string>();
  const encoder = stackLines(ir.encoder, "encoder", scheme, used);
  const decoder = stackLines(ir.decoder, "decoder", scheme, used);
  const b = (BOTTLENECK_CODE[ir.bottleneck.kind] as BottleneckCode<Bottleneck>)(ir.bottleneck, scheme);
  if (b === null) throw new Error(`internal: the PyTorch target does not generate a ${ir.bottleneck.kind} bottleneck`);
  const layerImports = [...used, "Stack"].sort().join(", ");
  const stack = (lines: string[]) => (lines.length === 0 ? "Stack([])" : `Stack(\n        [\n${lines.map((l) => `    ${l}`).join("\n")}\n        ]\n    )`);
  return `# Generated by aespec from ${ir.span.file}, model '${ir.name}' (IR ${ir.hash.slice(0, 12)}). Do not edit: compile the spec again.
# Shapes are per example, channels last; each weight layer's last two arguments are its kernel's and bias's uniform init limits.
from aespec_torch.autoencoder import Autoencoder
from aespec_torch.bottlenecks import ${b.cls}
from aespec_torch.layers import ${layerImports}

INPUT_SHAPE = ${pyTuple(ir.input.shape)}
LATENT_SHAPE = ${pyTuple(ir.bottleneck.latentShape)}

LOSSES = [
${ir.losses.map((t) => `    ${py(termData(t, ir))},`).join("\n")}
]


def build_model():
    encoder = ${stack(encoder)}
    # bottleneck ${ir.bottleneck.kind}: ${shape(ir.bottleneck.inShape)} -> ${shape(ir.bottleneck.latentShape)}
    bottleneck = ${b.cls}(${b.args})
    decoder = ${stack(decoder)}
    return Autoencoder(encoder, bottleneck, decoder, corruption=${py(corruptionData(ir))}, input_range=${ir.input.range === null ? "None" : pyTuple(ir.input.range)})
`;
}
