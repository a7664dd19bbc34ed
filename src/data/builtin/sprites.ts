import { makeDataset, type Dataset, type Split } from "../dataset.js";
import { Rng } from "../rng.js";
import { SHAPE_RADIUS, SPRITE_SHAPES, drawSprite } from "./sprite-shapes.js";
import { streamName, testCountFor } from "./sizes.js";

/**
 * Procedural sprites after dSprites: five independent factors with dSprites'
 * value grids, each example drawing every factor's index uniformly. The
 * binary image is [size, size, 1]. Labels are the shape index; factors hold
 * each factor's value index (shape, scale, rotation, x, y).
 * Train is generated from the seed's "train" stream, test (testCountFor(count)
 * examples) from its "test" stream.
 */
export const SPRITE_FACTORS = {
  names: ["shape", "scale", "rotation", "x", "y"] as const,
  /** Number of values of each factor. */
  sizes: [3, 6, 40, 32, 32] as const,
};

/** The value of each factor's index: scale 0.5..1, rotation 0..2pi (both ends, as dSprites), positions 0..1. */
export const spriteFactorValue = {
  shape: (i: number) => SPRITE_SHAPES[i]!,
  scale: (i: number) => 0.5 + (0.5 * i) / 5,
  rotation: (i: number) => (2 * Math.PI * i) / 39,
  x: (i: number) => i / 31,
  y: (i: number) => i / 31,
};

/** Pixel length of one shape unit at scale 1, as a fraction of the side (a scale-1 square is 0.32 of the side wide). */
const UNIT = 0.16;

export interface SpriteFactorIndices {
  readonly shape: number;
  readonly scale: number;
  readonly rotation: number;
  readonly x: number;
  readonly y: number;
}

/** Renders one sprite into `out` at `offset` (size x size values, zero beforehand). */
export function renderSprite(out: Float32Array, offset: number, size: number, f: SpriteFactorIndices): void {
  const radius = UNIT * size * spriteFactorValue.scale(f.scale);
  // Centres range over the image minus a margin that keeps the largest sprite,
  // at any rotation, off the border pixels.
  const margin = SHAPE_RADIUS * UNIT * size + 1;
  const travel = size - 2 * margin;
  const cx = margin + spriteFactorValue.x(f.x) * travel;
  const cy = margin + spriteFactorValue.y(f.y) * travel;
  drawSprite(out, offset, size, spriteFactorValue.shape(f.shape), cx, cy, radius, spriteFactorValue.rotation(f.rotation));
}

export function generateSprites(size: number, count: number, rng: Rng): Dataset {
  const pixels = size * size;
  const x = new Float32Array(count * pixels);
  const k = SPRITE_FACTORS.sizes.length;
  const values = new Float32Array(count * k);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const [shape, scale, rotation, px, py] = SPRITE_FACTORS.sizes.map((n) => rng.int(n)) as [number, number, number, number, number];
    renderSprite(x, i * pixels, size, { shape, scale, rotation, x: px, y: py });
    values.set([shape, scale, rotation, px, py], i * k);
    labels[i] = shape;
  }
  return makeDataset({ x, shape: [size, size, 1], count, labels, factors: { names: SPRITE_FACTORS.names, values }, range: [0, 1] });
}

export function loadSprites(size: number, count: number, seed: number): Split {
  return {
    train: generateSprites(size, count, new Rng(seed, streamName("sprites", "train"))),
    test: generateSprites(size, testCountFor(count), new Rng(seed, streamName("sprites", "test"))),
  };
}
