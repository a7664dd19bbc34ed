/**
 * Why a convolutional autoencoder gives back the wrong size: the chain of
 * spatial sizes through the encoder and the decoder, and the layer where a
 * stride stopped dividing a size evenly (28 -> 14 -> 7 -> 4: stride 2 with
 * padding same rounds 7 / 2 up, and the decoder's strides double 4 back to 8,
 * not 7). For AE2301's note and hint.
 */
import type { Related } from "../../diagnostics/diagnostic.js";
import type { Layer } from "../../ir/layers.js";

export interface SpatialChain {
  /** "encoder 28 -> 14 -> 7 -> 4, decoder 4 -> 8 -> 16 -> 32" (height; width too where it differs). */
  readonly text: string;
  /** A note at the first strided layer whose input size its stride does not divide; null when there is none. */
  readonly uneven: Related | null;
}

/** Null when the model has no spatial layer (nothing to explain in these terms). */
export function spatialChain(encoder: readonly Layer[], decoder: readonly Layer[]): SpatialChain | null {
  const enc = sizes(encoder);
  const dec = sizes(decoder);
  if (enc === null && dec === null) return null;
  const parts = [enc === null ? null : `encoder ${enc}`, dec === null ? null : `decoder ${dec}`].filter((p) => p !== null);
  return { text: parts.join(", "), uneven: firstUneven(encoder) };
}

/** The spatial sizes a stack goes through, from the first layer on a map to the last that changes one; null without one. */
function sizes(layers: readonly Layer[]): string | null {
  const maps = layers.filter((l) => l.kind === "conv" || l.kind === "deconv");
  if (maps.length === 0) return null;
  const side = (s: readonly number[]) => (s[0] === s[1] ? `${s[0]}` : `${s[0]}x${s[1]}`);
  const steps = [side(maps[0]!.inShape), ...maps.map((l) => side(l.outShape))];
  return steps.filter((s, i) => i === 0 || s !== steps[i - 1]).join(" -> ");
}

function firstUneven(layers: readonly Layer[]): Related | null {
  for (const l of layers) {
    if (l.kind !== "conv" || l.stride === 1) continue;
    const [h, w] = l.inShape as [number, number, number];
    const bad = h % l.stride !== 0 ? h : w % l.stride !== 0 ? w : null;
    if (bad === null) continue;
    const out = bad === h ? l.outShape[0]! : l.outShape[1]!;
    const how = l.padding === "same" ? `rounds ${bad} / ${l.stride} up` : `drops what the kernel does not cover`;
    return {
      span: l.span,
      message: `${bad} -> ${out} here: stride ${l.stride} with padding ${l.padding} ${how}, and a stride-${l.stride} deconv gives back ${out * l.stride}, not ${bad}`,
    };
  }
  return null;
}
