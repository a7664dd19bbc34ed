/**
 * Grids of images as PNG data: URIs (pngjs, no canvas). Tiles are scaled up
 * by a whole factor so small images (16 x 16 sprites) stay visible, with
 * pixels kept square and sharp.
 */
import { PNG } from "pngjs";

/** An input the report can draw: [height, width, channels] with 1 (grey) or 3 (RGB) channels. */
export interface ImageLayout {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

export function imageLayout(shape: readonly number[]): ImageLayout | null {
  if (shape.length !== 3) return null;
  const [height, width, channels] = shape as [number, number, number];
  return channels === 1 || channels === 3 ? { height, width, channels } : null;
}

const GAP = 2;
const BACKGROUND = 200;

/** The whole factor that brings a tile near 64 pixels high, between 1 and 8. */
export function tileScale(layout: ImageLayout): number {
  return Math.max(1, Math.min(8, Math.floor(64 / layout.height)));
}

/**
 * Rows of tiles (each height x width x channels, channels last) as one PNG;
 * values are mapped from `range` to 0..255 and clamped. Rows may differ in length.
 */
export function gridPng(rows: readonly (readonly Float32Array[])[], layout: ImageLayout, range: readonly [number, number]): Buffer {
  const s = tileScale(layout);
  const [th, tw] = [layout.height * s, layout.width * s];
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const width = columns * tw + (columns + 1) * GAP;
  const height = Math.max(1, rows.length) * th + (Math.max(1, rows.length) + 1) * GAP;
  const png = new PNG({ width, height });
  png.data.fill(BACKGROUND);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const [lo, hi] = range;
  const span = hi > lo ? hi - lo : 1;
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, (v - lo) / span)));
  rows.forEach((row, r) => {
    row.forEach((tile, c) => {
      if (tile.length !== layout.height * layout.width * layout.channels)
        throw new Error(`internal: tile of ${tile.length} values for [${layout.height}, ${layout.width}, ${layout.channels}]`);
      const [top, left] = [GAP + r * (th + GAP), GAP + c * (tw + GAP)];
      for (let y = 0; y < th; y++) {
        for (let x = 0; x < tw; x++) {
          const p = (Math.floor(y / s) * layout.width + Math.floor(x / s)) * layout.channels;
          const o = ((top + y) * width + left + x) * 4;
          for (let k = 0; k < 3; k++) png.data[o + k] = byte(tile[p + (layout.channels === 3 ? k : 0)]!);
        }
      }
    });
  });
  return PNG.sync.write(png);
}

export function pngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString("base64")}`;
}
