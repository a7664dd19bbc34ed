import { describe, expect, it } from "vitest";
import { drawSprite } from "../../src/data/builtin/sprite-shapes.js";
import { SPRITE_FACTORS, loadSprites, renderSprite, type SpriteFactorIndices } from "../../src/data/builtin/sprites.js";
import { testCountFor } from "../../src/data/builtin/sizes.js";

const SIZE = 64;

function render(f: Partial<SpriteFactorIndices>, size = SIZE): Float32Array {
  const out = new Float32Array(size * size);
  renderSprite(out, 0, size, { shape: 0, scale: 5, rotation: 0, x: 15, y: 15, ...f });
  return out;
}

const mass = (img: Float32Array) => img.reduce((a, b) => a + b, 0);

function centroid(img: Float32Array, side: number): [number, number] {
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = img[r * side + c]!;
      m += v;
      cx += v * (c + 0.5);
      cy += v * (r + 0.5);
    }
  }
  return [cx / m, cy / m];
}

/** Extent of the filled pixels: [width, height]. */
function extent(img: Float32Array, side: number): [number, number] {
  let c0 = side;
  let c1 = -1;
  let r0 = side;
  let r1 = -1;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (img[r * side + c]) {
        c0 = Math.min(c0, c);
        c1 = Math.max(c1, c);
        r0 = Math.min(r0, r);
        r1 = Math.max(r1, r);
      }
    }
  }
  return [c1 - c0 + 1, r1 - r0 + 1];
}

describe("sprites", () => {
  const a = loadSprites(32, 300, 7);

  it("is deterministic for a seed and different for another; test comes from another stream", () => {
    const again = loadSprites(32, 300, 7);
    expect(again.train.x).toEqual(a.train.x);
    expect(again.train.factors!.values).toEqual(a.train.factors!.values);
    expect(loadSprites(32, 300, 8).train.factors!.values).not.toEqual(a.train.factors!.values);
    expect(a.test!.count).toBe(testCountFor(300));
    expect(a.test!.factors!.values.subarray(0, 50)).not.toEqual(a.train.factors!.values.subarray(0, 50));
  });

  it("shape [size, size, 1], binary, factors are value indices in range, labels are the shape", () => {
    const { train } = a;
    expect(train.shape).toEqual([32, 32, 1]);
    expect(train.factors!.names).toEqual(["shape", "scale", "rotation", "x", "y"]);
    expect(train.range).toEqual([0, 1]);
    expect(train.x.every((v) => v === 0 || v === 1)).toBe(true);
    const k = SPRITE_FACTORS.sizes.length;
    const seen = SPRITE_FACTORS.sizes.map(() => new Set<number>());
    for (let i = 0; i < train.count; i++) {
      for (let j = 0; j < k; j++) {
        const v = train.factors!.values[i * k + j]!;
        expect(Number.isInteger(v) && v >= 0 && v < SPRITE_FACTORS.sizes[j]!).toBe(true);
        seen[j]!.add(v);
      }
      expect(train.labels![i]).toBe(train.factors!.values[i * k]);
      expect(mass(train.x.subarray(i * 1024, (i + 1) * 1024))).toBeGreaterThan(0);
    }
    // 300 draws see every shape and scale and most positions.
    expect(seen.map((s) => s.size).slice(0, 2)).toEqual([3, 6]);
    expect(seen[3]!.size).toBeGreaterThan(25);
  });

  it("each image is the rendering of its factors", () => {
    const k = SPRITE_FACTORS.sizes.length;
    for (const i of [0, 17, 299]) {
      const f = a.train.factors!.values.subarray(i * k, (i + 1) * k);
      const img = render({ shape: f[0]!, scale: f[1]!, rotation: f[2]!, x: f[3]!, y: f[4]! }, 32);
      expect(a.train.x.subarray(i * 1024, (i + 1) * 1024)).toEqual(img);
    }
  });

  it("moving x moves the sprite right, every step, and y moves it down", () => {
    let previous = render({ x: 0 });
    for (let x = 1; x < 32; x++) {
      const img = render({ x });
      expect(img).not.toEqual(previous);
      expect(centroid(img, SIZE)[0]).toBeGreaterThan(centroid(previous, SIZE)[0]);
      expect(centroid(img, SIZE)[1]).toBeCloseTo(centroid(previous, SIZE)[1], 5);
      previous = img;
    }
    expect(centroid(render({ y: 31 }), SIZE)[1]).toBeGreaterThan(centroid(render({ y: 0 }), SIZE)[1] + 20);
  });

  it("pixel mass grows with scale, near each shape's area", () => {
    // At scale 1 one shape unit is 0.16 * 64 = 10.24 px: a square of side 20.48
    // (area 419), an ellipse of semi-axes 1.2 and 0.6 units (pi * 0.72 * 10.24^2 = 237),
    // a heart of area 3.66 units^2 (384).
    const areas = [419, 237, 384];
    for (let shape = 0; shape < 3; shape++) {
      const masses = [0, 1, 2, 3, 4, 5].map((scale) => mass(render({ shape, scale, rotation: 3 })));
      for (let s = 1; s < 6; s++) expect(masses[s]).toBeGreaterThan(masses[s - 1]!);
      expect(Math.abs(masses[5]! / areas[shape]! - 1)).toBeLessThan(0.08);
      expect(Math.abs(masses[0]! / (areas[shape]! / 4) - 1)).toBeLessThan(0.12);
    }
  });

  it("rotation turns the ellipse: wide at 0, tall at a quarter turn", () => {
    const [w0, h0] = extent(render({ shape: 1, rotation: 0 }), SIZE);
    expect(w0).toBeGreaterThan(1.7 * h0);
    // index 10 of linspace(0, 2pi, 40) is 92.3 degrees
    const [w1, h1] = extent(render({ shape: 1, rotation: 10 }), SIZE);
    expect(h1).toBeGreaterThan(1.7 * w1);
    // Near a half turn (index 20, 185 degrees) the heart points up: its centroid moves.
    const up = centroid(render({ shape: 2, rotation: 0 }), SIZE)[1];
    const down = centroid(render({ shape: 2, rotation: 20 }), SIZE)[1];
    expect(down).toBeGreaterThan(up + 1);
  });

  it("the heart is a heart: two lobes with a notch on top, a point at the bottom", () => {
    // Centre on a pixel centre (32.5) and one unit = 10 px, so pixel (row, col)
    // samples u = (col - 32) / 10, v = (32 - row) / 10.
    const img = new Float32Array(SIZE * SIZE);
    drawSprite(img, 0, SIZE, "heart", 32.5, 32.5, 10, 0);
    const at = (u: number, v: number) => img[Math.round(32 - 10 * v) * SIZE + Math.round(32 + 10 * u)];
    // With y = v + 0.12: (u^2 + y^2 - 1)^3 - u^2 y^3 <= 0 inside.
    expect(at(0, 1.1)).toBe(0); // the notch: y = 1.22 is above the curve's y = 1 at u = 0
    expect(at(0.6, 1.1)).toBe(1); // a lobe: 0.8484^3 - 0.36 * 1.816 < 0
    expect(at(-0.6, 1.1)).toBe(1);
    expect(at(0, -0.9)).toBe(1); // the lower part on the axis
    expect(at(0.5, -0.9)).toBe(0); // narrowing to the point: -0.00284 + 0.1186 > 0
    expect(at(0, 0)).toBe(1);
    // Its bounding box is centred: y = v + 0.12 runs from -1 to 1.236, so v from -1.12 to 1.116,
    // and the filled rows are those of v = 1.1 (row 21) down to v = -1.1 (row 43).
    const rows = [...Array(SIZE).keys()].filter((r) => img.subarray(r * SIZE, (r + 1) * SIZE).some((v) => v === 1));
    expect([rows[0], rows[rows.length - 1]]).toEqual([21, 43]);
    // Symmetric left-right.
    for (let r = 0; r < SIZE; r++) for (let c = 1; c < SIZE; c++) expect(img[r * SIZE + c]).toBe(img[r * SIZE + (64 - c)]);
  });

  it("every sprite stays inside the image", () => {
    for (const [x, y] of [
      [0, 0],
      [31, 31],
      [0, 31],
    ] as const) {
      for (let shape = 0; shape < 3; shape++) {
        for (const rotation of [0, 5, 10, 15]) {
          const img = render({ shape, x, y, rotation, scale: 5 });
          const edge = [...Array(SIZE).keys()].flatMap((i) => [img[i], img[(SIZE - 1) * SIZE + i], img[i * SIZE], img[i * SIZE + SIZE - 1]]);
          expect(edge.every((v) => v === 0)).toBe(true);
        }
      }
    }
  });
});
